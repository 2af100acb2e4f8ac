package api

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

func TestChannelJSONCarriesTheOutOfPolicyReasonOnlyWhenSet(t *testing.T) {
	v := node.ChannelView{Domain: channel.Domain{ChainID: big.NewInt(1)}, Us: channel.PartyB}
	for i := range 2 {
		v.Deposit[i], v.Withdrawn[i], v.Balance[i], v.Reserved[i] = new(big.Int), new(big.Int), new(big.Int), new(big.Int)
	}
	within, err := json.Marshal(channelJSON(v))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(within), "outOfPolicy") {
		t.Fatalf("a channel within policy carries outOfPolicy: %s", within)
	}
	v.OutOfPolicy = "challenge period 1s below the minimum 1h0m0s"
	outside, err := json.Marshal(channelJSON(v))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(outside), `"outOfPolicy":"challenge period 1s below the minimum 1h0m0s"`) {
		t.Fatalf("reason missing: %s", outside)
	}
}
