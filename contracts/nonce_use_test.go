package contracts

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/contracts/devchain"
)

// TestFindNonceUseNamesTheAccountsTransactionInTheBlockWhereItsNonceWasUsed: blocks
// apart and among another account's transactions of the same nonce in the same block,
// each nonce is traced to the one transaction of the account that used it; a nonce not
// used yet is no evidence at all.
func TestFindNonceUseNamesTheAccountsTransactionInTheBlockWhereItsNonceWasUsed(t *testing.T) {
	w := newWorld(t, devchain.Options{ManualMining: true}, Options{})
	me, other := w.chain.Accounts()[1], w.chain.Accounts()[2]
	cl := w.chain.Client()
	send := func(acc devchain.Account, nonce uint64) common.Hash {
		t.Helper()
		to := w.chain.Accounts()[9].Address
		tx, err := types.SignNewTx(acc.Key, types.LatestSignerForChainID(w.chain.ChainID()), &types.DynamicFeeTx{
			ChainID: w.chain.ChainID(), Nonce: nonce, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(100e9),
			Gas: 21000, To: &to, Value: big.NewInt(1),
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := cl.SendTransaction(w.ctx, tx); err != nil {
			t.Fatal(err)
		}
		return tx.Hash()
	}
	var mine []common.Hash
	for nonce := range uint64(5) {
		send(other, nonce) // same nonce, same block, another sender
		mine = append(mine, send(me, nonce))
		w.chain.Commit()
		for range nonce * 3 { // gaps of 0, 3, 6, ... empty blocks
			w.chain.Commit()
		}
	}
	for range 20 {
		w.chain.Commit()
	}
	c := w.clients[1]
	for nonce, want := range mine {
		u, err := c.FindNonceUse(w.ctx, uint64(nonce))
		if err != nil {
			t.Fatalf("nonce %d: %v", nonce, err)
		}
		if u.TxHash != want {
			t.Errorf("nonce %d: traced to %s, want %s", nonce, u.TxHash, want)
		}
		r, err := cl.TransactionReceipt(w.ctx, want)
		if err != nil || r.BlockNumber.Uint64() != u.Block || r.BlockHash != u.BlockHash {
			t.Errorf("nonce %d: block %d %s, receipt says %v (%v)", nonce, u.Block, u.BlockHash, r, err)
		}
	}
	if _, err := c.FindNonceUse(w.ctx, uint64(len(mine))); !errors.Is(err, ErrNoNonceEvidence) {
		t.Errorf("a nonce not used yet: %v, want ErrNoNonceEvidence", err)
	}
}
