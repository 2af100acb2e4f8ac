package p2p

import (
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestOpenNegotiationMessagesRoundTripWithStableCodes(t *testing.T) {
	pid := [16]byte{0xaa, 1, 2, 3}
	cases := []struct {
		msg  Message
		code Type
		name string
	}{
		{&OpenPropose{ProposalID: pid, Token: common.HexToAddress("0x1234"), Deposit: big.NewInt(123_456), ChallengePeriod: 3600}, 32, "OpenPropose"},
		{&OpenAccept{ProposalID: pid}, 33, "OpenAccept"},
		{&OpenDecline{ProposalID: pid, Code: 9, Reason: "too many channels"}, 34, "OpenDecline"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.msg.Type() != c.code || c.code.String() != c.name {
				t.Fatalf("type %d %q, want %d %q", c.msg.Type(), c.msg.Type(), c.code, c.name)
			}
			frame, err := NewEncoder().AppendFrame(nil, c.msg)
			if err != nil {
				t.Fatal(err)
			}
			_, k := uvarintLen(frame)
			got, err := DecodeMessage(frame[k:])
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.msg) {
				t.Fatalf("decoded %#v, want %#v", got, c.msg)
			}
		})
	}
}

func TestOpenNegotiationMessagesRefuseBadFields(t *testing.T) {
	if err := Validate(&OpenPropose{Deposit: big.NewInt(-1)}); err == nil {
		t.Fatal("negative deposit accepted")
	}
	if err := Validate(&OpenDecline{Reason: strings.Repeat("x", MaxReasonSize+1)}); err == nil {
		t.Fatal("over-long decline reason accepted")
	}
	short := rawEnvelope(t, uint64(TypeOpenAccept), make([]byte, 15))
	if _, err := DecodeMessage(short); err == nil || !strings.Contains(err.Error(), "OpenAccept.proposalId") {
		t.Fatalf("short proposal id: %v", err)
	}
}
