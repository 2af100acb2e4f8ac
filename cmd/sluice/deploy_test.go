package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/contracts"
)

func TestDeployPutsAWorkingContractOnTheChain(t *testing.T) {
	chain, url := startDevchain(t)
	env := cliEnv(t)
	dir := t.TempDir()
	if res := runCLI(t, env, "--datadir", dir, "init", "--dev", "--key-hex", anvilKey1); res.code != exitOK {
		t.Fatalf("init: exit %d: %s", res.code, res.stderr)
	}
	res := runCLI(t, env, "--datadir", dir, "deploy", "--rpc", url, "--json")
	if res.code != exitOK {
		t.Fatalf("deploy: exit %d: %s", res.code, res.stderr)
	}
	var out deployResult
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
		t.Fatalf("deploy --json output %q: %v", res.stdout, err)
	}
	if out.Deployer != common.HexToAddress(anvilAddr1) || out.Contract == chain.Contract() || out.GasUsed == 0 {
		t.Fatalf("deploy result %+v: want a new contract from %s", out, anvilAddr1)
	}
	// The new address answers as SluiceChannels: its EIP-712 domain separator is readable.
	c, err := contracts.New(context.Background(), chain.Client(), out.Contract, nil, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DomainSeparator(context.Background()); err != nil {
		t.Fatalf("domain separator of the deployed contract: %v", err)
	}
}

func TestDeployWithoutRPCIsAUsageError(t *testing.T) {
	res := runCLI(t, cliEnv(t), "--datadir", t.TempDir(), "deploy")
	if res.code != exitUsage {
		t.Fatalf("deploy without --rpc: exit %d, want %d (stderr %q)", res.code, exitUsage, res.stderr)
	}
}
