package main

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"
)

func TestDevnetServesChainWithContractAndStopsOnInterrupt(t *testing.T) {
	t.Parallel()
	d, stdout := startDaemon(t, cliEnv(t), "--json", "devnet", "--port", "0")
	infoCh := make(chan devnetInfo, 1)
	errCh := make(chan error, 1)
	go func() {
		var info devnetInfo
		if err := json.NewDecoder(stdout).Decode(&info); err != nil {
			errCh <- err
			return
		}
		infoCh <- info
	}()
	var info devnetInfo
	select {
	case info = <-infoCh:
	case err := <-errCh:
		t.Fatalf("devnet output: %v\nstderr:\n%s", err, d.stderrText())
	case <-time.After(60 * time.Second):
		t.Fatalf("devnet printed nothing in 60s\nstderr:\n%s", d.stderrText())
	}
	if info.ChainID.Int64() != 31337 || len(info.Accounts) != 10 || info.Accounts[0].Address.Hex() != anvilAddr0 || info.Accounts[0].Key != anvilKey0 {
		t.Fatalf("devnet info %+v", info)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, url := range []string{info.HTTPURL, info.WSURL} {
		client, err := ethclient.DialContext(ctx, url)
		if err != nil {
			t.Fatalf("dial %s: %v", url, err)
		}
		var id hexutil.Big
		if err := client.Client().CallContext(ctx, &id, "eth_chainId"); err != nil {
			t.Fatalf("eth_chainId over %s: %v", url, err)
		}
		if id.ToInt().Int64() != 31337 {
			t.Fatalf("eth_chainId over %s = %s", url, id.ToInt())
		}
		code, err := client.CodeAt(ctx, info.Contract, nil)
		if err != nil || len(code) == 0 {
			t.Fatalf("no contract code at %s (%v)", info.Contract, err)
		}
		client.Close()
	}
	d.stop(t, os.Interrupt, 20*time.Second)
}
