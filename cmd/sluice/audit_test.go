package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// servedChain is a dev chain reachable over HTTP, as `sluice audit` would reach a node.
func servedChain(t *testing.T) (*devchain.Chain, string) {
	t.Helper()
	chain, err := devchain.New(devchain.Options{})
	if err != nil {
		t.Fatalf("devchain: %v", err)
	}
	t.Cleanup(func() { _ = chain.Close() })
	url, _, err := chain.Serve(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatalf("serve: %v", err)
	}
	return chain, url
}

func assertOneLineError(t *testing.T, res cliResult, want string) {
	t.Helper()
	if res.code != exitFailure {
		t.Errorf("exit code %d, want %d; stderr %q", res.code, exitFailure, res.stderr)
	}
	if lines := strings.Count(strings.TrimRight(res.stderr, "\n"), "\n"); lines != 0 {
		t.Errorf("error spans %d lines, want one: %q", lines+1, res.stderr)
	}
	if !strings.Contains(res.stderr, want) {
		t.Errorf("stderr %q lacks %q", res.stderr, want)
	}
}

func TestAuditRejectsMalformedRPCURL(t *testing.T) {
	for _, url := range []string{"localhost:8545", "ftp://127.0.0.1:8545", "http://", "not a url"} {
		t.Run(url, func(t *testing.T) {
			res := runCLI(t, cliEnv(t), "audit", "--rpc", url, "--contract", "0x5FbDB2315678afecb367f032d93F642f64180aa3")
			assertOneLineError(t, res, "invalid --rpc")
		})
	}
}

func TestAuditReportsUnreachableRPC(t *testing.T) {
	res := runCLI(t, cliEnv(t), "audit", "--rpc", "http://127.0.0.1:1", "--contract", "0x5FbDB2315678afecb367f032d93F642f64180aa3")
	assertOneLineError(t, res, "cannot reach the RPC endpoint")
}

func TestAuditReportsAddressWithoutContractCode(t *testing.T) {
	chain, url := servedChain(t)
	eoa := chain.Accounts()[5].Address.Hex()
	res := runCLI(t, cliEnv(t), "audit", "--rpc", url, "--contract", eoa)
	assertOneLineError(t, res, "no contract code at the address "+eoa)
}

func TestAuditOfCleanChainExitsZeroInEveryFormat(t *testing.T) {
	chain, url := servedChain(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	accs := chain.Accounts()
	alice, err := contracts.New(ctx, chain.Client(), chain.Contract(), accs[1].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := alice.Open(ctx, accs[2].Address, common.Address{}, big.NewInt(1_000), 60); err != nil {
		t.Fatal(err)
	}
	base := []string{"audit", "--rpc", url, "--contract", chain.Contract().Hex()}

	res := runCLI(t, cliEnv(t), append(base, "--format", "json")...)
	if res.code != exitOK {
		t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
	}
	var rep struct {
		OK       bool `json:"ok"`
		Channels []struct {
			Status string `json:"status"`
		} `json:"channels"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil || !rep.OK || len(rep.Channels) != 1 || rep.Channels[0].Status != "open" {
		t.Errorf("json report %+v (%v) from %s", rep, err, res.stdout)
	}

	res = runCLI(t, cliEnv(t), append(base, "--format", "csv")...)
	if lines := strings.Split(strings.TrimSpace(res.stdout), "\n"); res.code != exitOK || len(lines) != 2 || !strings.HasPrefix(lines[0], "channel,a,b,token,status") {
		t.Errorf("csv: exit %d, output %q", res.code, res.stdout)
	}

	res = runCLI(t, cliEnv(t), base...)
	if res.code != exitOK || !strings.Contains(res.stdout, "RESULT: CONSISTENT") {
		t.Errorf("text: exit %d, output %q", res.code, res.stdout)
	}
}

// A node's own export (sluice payments export) holding a newer proof than the one a
// settlement used makes the audit fail and name the channel.
func TestAuditFailsWhenNodeExportHoldsNewerProofThanSettlement(t *testing.T) {
	chain, url := servedChain(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	accs := chain.Accounts()
	alice, err := contracts.New(ctx, chain.Client(), chain.Contract(), accs[1].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bob := accs[2].Address
	id, _, err := alice.Open(ctx, bob, common.Address{}, big.NewInt(1_000), 1)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := channel.NewKeySigner(accs[1].Key)
	if err != nil {
		t.Fatal(err)
	}
	bp := channel.BalanceProof{Channel: id, Nonce: 7, Transferred: big.NewInt(400)}
	digest, err := alice.Domain().BalanceProofDigest(bp)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := signer.SignDigest(digest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Close(ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	if err := chain.AdjustTime(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Settle(ctx, id); err != nil {
		t.Fatal(err)
	}

	// The node export's shape (node/api.ProofExport), written by hand.
	export := fmt.Sprintf(`{"format":"sluice-proofs/1","exportedAt":"2026-01-01T00:00:00Z","node":%q,"chainId":31337,"contract":%q,
	 "channels":[{"id":%q,"participants":[%q,%q],"us":"B","partner":%q,"token":"0x0000000000000000000000000000000000000000",
	   "status":"settled","latestProofs":[{"channel":%q,"nonce":7,"transferred":"400","signature":"0x%x"},null]}],
	 "payments":[]}`, bob.Hex(), chain.Contract().Hex(), id, accs[1].Address.Hex(), bob.Hex(), accs[1].Address.Hex(), id, sig[:])
	path := filepath.Join(t.TempDir(), "proofs.json")
	if err := os.WriteFile(path, []byte(export), 0o600); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, cliEnv(t), "audit", "--rpc", url, "--contract", chain.Contract().Hex(), "--proofs", path)
	if res.code != exitFailure {
		t.Fatalf("exit %d, want %d; stdout %s stderr %s", res.code, exitFailure, res.stdout, res.stderr)
	}
	for _, want := range []string{"missed-newer-proof channel " + id.String(), "paid 0, entitled to 400, short by 400", "RESULT: 1 DISCREPANCIES"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, res.stdout)
		}
	}
	if !strings.Contains(res.stderr, "audit found 1 discrepancies") {
		t.Errorf("stderr %q", res.stderr)
	}
}

func TestAuditRequiresRPCAndContractAndAKnownFormat(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"audit"}, "--rpc is required"},
		{[]string{"audit", "--rpc", "http://127.0.0.1:1"}, "--contract is required"},
		{[]string{"audit", "--rpc", "http://127.0.0.1:1", "--contract", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--format", "xml"}, "want text, json or csv"},
	}
	for _, tc := range tests {
		res := runCLI(t, cliEnv(t), tc.args...)
		if res.code != exitUsage || !strings.Contains(res.stderr, tc.want) {
			t.Errorf("%v: exit %d stderr %q, want exit %d and %q", tc.args, res.code, res.stderr, exitUsage, tc.want)
		}
	}
}
