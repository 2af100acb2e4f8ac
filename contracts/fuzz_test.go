package contracts

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/contracts/bindings"
)

// Revert data and logs come from the chain (any contract at any address can emit
// anything on a hostile RPC): decoding must fail cleanly, never panic.

func FuzzRevertDecode(f *testing.F) {
	a := bindings.NewSluiceChannels().GetABI()
	erc20, err := parseERC20ABI()
	if err != nil {
		f.Fatal(err)
	}
	d := newRevertDecoder(&a, erc20)
	stale := a.Errors["StaleNonce"].ID
	f.Add([]byte{})
	f.Add(stale[:4])
	f.Add(append(common.FromHex("0x08c379a0"), make([]byte, 64)...))
	f.Add(append(common.FromHex("0x4e487b71"), make([]byte, 31)...))
	f.Add(append(common.FromHex("0xfb8f41b2"), make([]byte, 95)...)) // ERC20InsufficientAllowance, short
	f.Fuzz(func(t *testing.T, data []byte) {
		rev := d.decode(data)
		if rev == nil {
			t.Fatal("nil revert")
		}
		if len(data) >= 4 && rev.Name == "" {
			t.Fatalf("revert data %x decoded without a name", data)
		}
		_ = rev.Error()
	})
}

func FuzzEventDecode(f *testing.F) {
	b := bindings.NewSluiceChannels()
	d := newEventDecoder(b)
	a := b.GetABI()
	names := []string{"ChannelOpened", "Deposited", "Withdrawn", "ChannelClosed", "ProofUpdated", "ChannelSettled", "Claimed", "Credited"}
	for i := range names {
		f.Add(uint8(i), uint8(3), make([]byte, 160))
		f.Add(uint8(i), uint8(0), []byte{})
	}
	f.Fuzz(func(t *testing.T, which, nTopics uint8, data []byte) {
		ev := a.Events[names[int(which)%len(names)]]
		topics := []common.Hash{ev.ID}
		for i := range int(nTopics % 5) {
			topics = append(topics, common.BytesToHash(append(data[:min(len(data), 32)], byte(i))))
		}
		l := &types.Log{Topics: topics, Data: data}
		got, ok, err := d.decode(l)
		if !ok {
			t.Fatal("a known event signature was reported unknown")
		}
		if (err == nil) == (got == nil) {
			t.Fatalf("decode returned event %v with error %v", got, err)
		}
	})
}
