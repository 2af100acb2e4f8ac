package contracts_test

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// TestDomainFollowsChainIDAfterFork: the domain separator is cached at deployment; after
// a chain split changes block.chainid the contract must recompute it, so a proof signed for
// the old chain no longer verifies and one signed for the new chain does.
func TestDomainFollowsChainIDAfterFork(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	id := e.openETH(a, b.Address, eth(5), 60)
	oldChainProof := e.signProof(b.Key, id, 3, eth(1))

	const forkID = 4242
	if err := e.client.Client().CallContext(e.ctx, nil, "anvil_setChainId", forkID); err != nil {
		t.Fatalf("anvil_setChainId: %v", err)
	}
	e.chainID = big.NewInt(forkID)

	want := crypto.Keccak256(
		crypto.Keccak256([]byte("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")),
		crypto.Keccak256([]byte("Sluice")), crypto.Keccak256([]byte("1")),
		common.LeftPadBytes(big.NewInt(forkID).Bytes(), 32), common.LeftPadBytes(e.channels.Bytes(), 32))
	got, err := e.sc.UnpackDomainSeparator(e.call(e.channels, e.sc.PackDomainSeparator()))
	if err != nil || !bytes.Equal(got[:], want) {
		t.Fatalf("domainSeparator() after fork = %x (%v), want %x for chain %d", got, err, want, forkID)
	}

	e.expectRevert(a, e.channels, nil, e.sc.PackClose(id, oldChainProof.nonce, oldChainProof.transferred, new(big.Int), [32]byte{}, oldChainProof.sig), errID(t, "WrongSigner"))
	newChainProof := e.signProof(b.Key, id, 3, eth(1))
	e.mustSend(a, e.channels, nil, e.sc.PackClose(id, newChainProof.nonce, newChainProof.transferred, new(big.Int), [32]byte{}, newChainProof.sig))
}
