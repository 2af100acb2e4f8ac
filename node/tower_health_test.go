package node

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ma "github.com/multiformats/go-multiaddr"
)

// TestTowerHealthShowsAnUnreachableTower: the node's info says whether its watchtower
// link works: up once the tower confirmed the hub's proofs, down with the error and the
// channels waiting while the tower is gone (the hub keeps paying, and a busy channel
// would refuse new locks at the tombstone cap: ADR 0041), up again once it is back.
// sluice_tower_up follows. A node without a tower reports none.
func TestTowerHealthShowsAnUnreachableTower(t *testing.T) {
	tn := newTestNet(t)
	twDir := t.TempDir()
	tw := startTower9(t, tn, twDir, "/ip4/127.0.0.1/tcp/0", 0)
	full := tw.Addrs()[0]
	listen, _ := ma.SplitFunc(full, func(c ma.Component) bool { return c.Protocol().Code == ma.P_P2P })
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{tower: full.String()})
	c := tn.startNode(3, nodeOpts{})
	openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	hub, payee := h.signer.Address(), c.signer.Address()
	pay := func() {
		t.Helper()
		inv := invoice(t, c, 10)
		if res, err := routedPay(t, a, []common.Address{hub, payee}, 10, inv.SecretHash); err != nil || !res.Unlocked {
			t.Fatalf("payment: %+v %v", res, err)
		}
	}
	health := func() TowerHealth {
		info, err := h.Info(context.Background())
		if err != nil || info.Tower == nil {
			t.Fatalf("info: %+v %v", info.Tower, err)
		}
		return *info.Tower
	}
	if info, err := a.Info(context.Background()); err != nil || info.Tower != nil {
		t.Fatalf("a node without a tower reports one: %+v %v", info.Tower, err)
	}
	pay()
	waitFor(t, "the tower link is up with nothing pending", func() bool {
		th := health()
		return th.State == towerUp && th.Pending == 0 && th.LastError == "" && metricValue(t, h.tower.health.up) == 1
	})
	tw.Close()
	pay()
	waitFor(t, "the tower link is down with the hub's proofs pending", func() bool {
		th := health()
		return th.State == towerDown && th.Pending > 0 && th.LastError != "" && metricValue(t, h.tower.health.up) == 0
	})
	down := health()
	t.Logf("down: %+v", down)
	startTower9(t, tn, twDir, listen.String(), 0)
	deadline := time.Now().Add(60 * time.Second) // the link's backoff grows to 30 s
	for th := health(); th.State != towerUp || th.Pending != 0; th = health() {
		if time.Now().After(deadline) {
			t.Fatalf("the tower link after the tower is back: %+v", th)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if up := health(); !up.Since.After(down.Since) {
		t.Fatalf("since %v after the tower came back, %v while down", up.Since, down.Since)
	}
}
