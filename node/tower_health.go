package node

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// TowerHealth is the node's view of its watchtower link (NodeInfo.Tower; absent without
// --tower). While the tower is unreachable the node keeps the proofs it owes it, and a
// busy channel refuses new locks once its tombstones reach the cap (ADR 0037, 0041): the
// operator sees it here, in sluice_tower_up and in the warnings.
type TowerHealth struct {
	Tower string `json:"tower"` // the tower's peer id
	// State is "up" (the last exchange succeeded), "down" (it failed: LastError) or
	// "unknown" (nothing was sent to the tower since the start).
	State     string    `json:"state"`
	LastError string    `json:"lastError,omitempty"`
	Since     time.Time `json:"since"` // when State last changed
	// Pending counts the channels whose latest proofs wait to be registered.
	Pending int `json:"pending"`
}

// Tower health states.
const (
	towerUnknown = "unknown"
	towerUp      = "up"
	towerDown    = "down"
)

// towerState is the link's health, written by its run goroutine, read by Info.
type towerState struct {
	mu      sync.Mutex
	state   string
	lastErr string
	since   time.Time
	up      prometheus.Gauge
}

func newTowerState() *towerState {
	return &towerState{state: towerUnknown, since: time.Now(), up: prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "sluice_tower_up", Help: "1 while the last exchange with the watchtower succeeded, 0 while it failed or none happened yet",
	})}
}

// set records the outcome of an exchange with the tower (nil: it answered).
func (s *towerState) set(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next, msg := towerUp, ""
	if err != nil {
		next, msg = towerDown, err.Error()
	}
	if next != s.state {
		s.state, s.since = next, time.Now()
	}
	s.lastErr = msg
	if next == towerUp {
		s.up.Set(1)
	} else {
		s.up.Set(0)
	}
}

// towerHealth is NodeInfo.Tower: nil without a tower.
func (n *Node) towerHealth() *TowerHealth {
	tl := n.tower
	if tl == nil {
		return nil
	}
	tl.health.mu.Lock()
	h := &TowerHealth{Tower: tl.tower.ID.String(), State: tl.health.state, LastError: tl.health.lastErr, Since: tl.health.since}
	tl.health.mu.Unlock()
	h.Pending = tl.pendingChannels()
	return h
}
