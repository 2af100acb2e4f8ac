package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sluicepay/sluice/contracts/devchain"
)

// TestGasBeatsPublishedAnchors runs the full report on the pinned Anvil and on the
// embedded dev chain: the figures must be identical (both run Osaka rules) and beat
// every anchor of docs/adr/0001 by a clear margin, so a gas regression fails CI.
func TestGasBeatsPublishedAnchors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	var out bytes.Buffer
	if err := run(ctx, "", true, &out); err != nil {
		t.Fatalf("gas report on Anvil: %v", err)
	}
	var onAnvil Report
	if err := json.Unmarshal(out.Bytes(), &onAnvil); err != nil {
		t.Fatalf("decode --json output %q: %v", out.String(), err)
	}

	chain, err := devchain.New(devchain.Options{NoContract: true})
	if err != nil {
		t.Fatalf("start dev chain: %v", err)
	}
	defer func() {
		if err := chain.Close(); err != nil {
			t.Errorf("close dev chain: %v", err)
		}
	}()
	httpURL, _, err := chain.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatalf("serve dev chain: %v", err)
	}
	out.Reset()
	if err := run(ctx, httpURL, true, &out); err != nil {
		t.Fatalf("gas report on the dev chain: %v", err)
	}
	var onDev Report
	if err := json.Unmarshal(out.Bytes(), &onDev); err != nil {
		t.Fatalf("decode --json output %q: %v", out.String(), err)
	}
	// withdraw's calldata holds a timestamp, whose zero bytes cost less than non-zero
	// ones, so it may differ by a few gas between chains; everything else must match.
	onDev.Withdraw, onAnvil.Withdraw = 0, 0
	if onDev != onAnvil {
		t.Fatalf("gas differs between chains:\nanvil    %+v\ndevchain %+v", onAnvil, onDev)
	}

	limits := []struct {
		name   string
		gas    uint64
		anchor uint64
	}{
		{"open with ETH deposit vs Raiden openChannelWithDeposit", onAnvil.OpenETH, raidenOpenWithDeposit},
		{"open with ERC-20 deposit vs Raiden openChannelWithDeposit", onAnvil.OpenERC20, raidenOpenWithDeposit},
		{"closeCooperative vs go-nitro happy exit", onAnvil.CloseCooperative, nitroHappyExit},
		{"close + updateProof + settle vs go-nitro sad path", onAnvil.SadPath(), nitroSadPath},
		{"updateProof vs Raiden updateNonClosingBalanceProof", onAnvil.UpdateProof, raidenUpdateNonClosing},
		{"updateProofFor vs Raiden updateNonClosingBalanceProof", onAnvil.UpdateProofFor, raidenUpdateNonClosing},
		{"registerSecret vs Raiden registerSecret", onAnvil.RegisterSecret, raidenRegisterSecret},
		{"registerSecrets(4) vs 4 x Raiden registerSecret", onAnvil.RegisterSecrets, registerSecretsBatch * raidenRegisterSecret},
		{"unlock of 1 lock vs Raiden unlock", onAnvil.Unlock1, raidenUnlock1},
		{"unlock of 6 locks vs Raiden unlock", onAnvil.Unlock6, raidenUnlock6},
	}
	for _, l := range limits {
		if l.gas == 0 || l.gas >= l.anchor {
			t.Errorf("%s: %d gas, must be below %d", l.name, l.gas, l.anchor)
		}
	}
}

func TestPrintTableShowsEveryOperationAndAnchor(t *testing.T) {
	var out bytes.Buffer
	r := Report{OpenETH: 1, OpenERC20: 2, Deposit: 3, Withdraw: 4, CloseCooperative: 5, Close: 6, UpdateProof: 7, UpdateProofFor: 10, Settle: 8, Claim: 9}
	if err := printTable(&out, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"open (ETH deposit)", "closeCooperative", "close + updateProof + settle", "21", "146956", "111514", "195172", "90516", "updateProofFor", "claim", "registerSecret", "46181", "38619", "53246"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

func TestJSONFieldNamesAreStable(t *testing.T) {
	b, err := json.Marshal(Report{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"open_eth":0,"open_erc20":0,"deposit":0,"withdraw":0,"close_cooperative":0,"close":0,"update_proof":0,"update_proof_for":0,"settle":0,"claim":0,"register_secret":0,"register_secrets_4":0,"unlock_1":0,"unlock_6":0}`
	if string(b) != want {
		t.Fatalf("JSON = %s, want %s", b, want)
	}
}
