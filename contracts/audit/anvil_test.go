package audit_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/anviltest"
	"github.com/sluicepay/sluice/contracts/audit"
	"github.com/sluicepay/sluice/contracts/bindings"
	"github.com/sluicepay/sluice/contracts/bindings/testbindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// A participant that is a contract closes through its own call: the signature is not in
// the transaction's calldata, so the auditor finds it with debug_traceTransaction, which
// Anvil serves (the embedded dev chain does not).
func TestAuditVerifiesSignatureOfCallMadeThroughAnotherContract(t *testing.T) {
	url := anviltest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	raw, err := rpc.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	eth := ethclient.NewClient(raw)
	chainID, err := eth.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	accs := devchain.TestAccounts()
	deployer, _, err := contracts.Deploy(ctx, eth, accs[0].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	contract := deployer.Contract()
	bob, err := contracts.New(ctx, eth, contract, accs[2].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	owner := accs[4]
	rr := testbindings.NewRejectingReceiver()
	receiver := sendFrom(t, ctx, eth, chainID, owner.Key, nil,
		append(common.FromHex(testbindings.RejectingReceiverMetaData.Bin), rr.PackConstructor(contract)...), nil).ContractAddress

	id, _, err := bob.Open(ctx, receiver, common.Address{}, big.NewInt(1_000), 60)
	if err != nil {
		t.Fatal(err)
	}
	bp := channel.BalanceProof{Channel: id, Nonce: 1, Transferred: big.NewInt(400)}
	d, err := bob.Domain().BalanceProofDigest(bp)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := channel.NewKeySigner(accs[2].Key)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := signer.SignDigest(d)
	if err != nil {
		t.Fatal(err)
	}
	closeCall := bindings.NewSluiceChannels().PackClose(id, bp.Nonce, bp.Transferred, new(big.Int), [32]byte{}, sig[:])
	sendFrom(t, ctx, eth, chainID, owner.Key, &receiver, rr.PackForward(closeCall), nil)

	rep, err := audit.Run(ctx, audit.Config{RPC: raw, Contract: contract})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || len(rep.Warnings) != 0 {
		t.Fatalf("discrepancies %v, warnings %v", rep.Discrepancies, rep.Warnings)
	}
	if rep.Totals.Signatures != 1 || rep.Channels[0].Status != channel.StatusClosing || rep.Channels[0].Nonce[0] != 1 {
		t.Errorf("totals %+v, channel %+v: want bob's proof verified through the trace", rep.Totals, rep.Channels[0])
	}
}
