package api

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sluicepay/sluice/node"
)

func TestIdempotencyKeysReachTheNode(t *testing.T) {
	srv := startServer(t, nil)
	ctx := context.Background()
	c, err := Dial(ctx, srv.URL(), testToken)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	id := ChannelID(testChannel)
	amount := NewAmount(testChainID)
	if _, err := c.OpenChannel(ctx, OpenChannelArgs{Peer: "p", Deposit: amount, IdempotencyKey: "open-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DepositWithKey(ctx, id, amount, "dep-1"); err != nil {
		t.Fatal(err)
	}
	srv.backend.mu.Lock()
	openKey, depKey := srv.backend.lastOpen.IdempotencyKey, srv.backend.lastKey
	srv.backend.mu.Unlock()
	if openKey != "open-1" || depKey != "dep-1" {
		t.Fatalf("keys reaching the node: open %q, deposit %q", openKey, depKey)
	}
	if _, err := c.Deposit(ctx, id, amount); err != nil {
		t.Fatalf("deposit without options: %v", err)
	}

	long := strings.Repeat("k", node.MaxIdempotencyKeyLen+1)
	reply := call(t, srv, "sluice_deposit", fmt.Sprintf(`["%s","1",{"idempotencyKey":"%s"}]`, id, long))
	if reply.Error == nil || reply.Error.Code != CodeInvalidParams || !strings.Contains(reply.Error.Message, "idempotencyKey") {
		t.Fatalf("over-long key: %+v, want invalid params", reply.Error)
	}
}

func TestSubmittedAndReusedKeyErrorsHaveTheirCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
		kind string
	}{
		{fmt.Errorf("deposit: transaction 0x01 submitted and not mined yet: %w: %w", node.ErrTxPending, context.DeadlineExceeded), CodeTxPending, "tx_pending"},
		{fmt.Errorf("open: %w", node.ErrIdempotencyKeyReused), CodeIdempotencyKeyReused, "idempotency_key_reused"},
	} {
		got, ok := toRPCError(tc.err).(*Error)
		if !ok || got.Code != tc.code || got.Kind != tc.kind {
			t.Fatalf("%v: got %+v, want code %d kind %s", tc.err, got, tc.code, tc.kind)
		}
	}
}
