package gossip

import (
	"context"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// ChannelInfo is what the chain says about one channel. The node fills it from its chain
// follower or a contract read (contracts.ChannelView): Participants = {A, B}, Open =
// Status == Open, Funds = deposits minus withdrawals of both sides.
type ChannelInfo struct {
	Participants [2]common.Address
	Token        common.Address
	Open         bool
	Funds        *big.Int
}

// ChainView answers for a channel id. A channel the contract never issued is
// (ChannelInfo{}, ErrUnknownChannel) or a zero ChannelInfo; any other error means the view
// is unavailable (the announcement is dropped without penalty).
type ChainView interface {
	Channel(ctx context.Context, id channel.ID) (ChannelInfo, error)
}

// cachedChain keeps answers for ttl, bounded at maxEntries, so gossip about a busy
// channel does not cost one chain read per message.
type cachedChain struct {
	view       ChainView
	ttl        time.Duration
	maxEntries int

	mu      sync.Mutex
	entries map[channel.ID]cacheEntry
}

type cacheEntry struct {
	info ChannelInfo
	at   time.Time
}

func (c *cachedChain) lookup(id channel.ID, now time.Time) (ChannelInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[id]
	if !ok || now.Sub(e.at) > c.ttl {
		return ChannelInfo{}, false
	}
	return e.info, true
}

func (c *cachedChain) store(id channel.ID, info ChannelInfo, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.maxEntries {
		for k, e := range c.entries {
			if now.Sub(e.at) > c.ttl {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.maxEntries {
			clear(c.entries)
		}
	}
	c.entries[id] = cacheEntry{info: info, at: now}
}

// forget drops id, e.g. when the node sees it close.
func (c *cachedChain) forget(id channel.ID) {
	c.mu.Lock()
	delete(c.entries, id)
	c.mu.Unlock()
}
