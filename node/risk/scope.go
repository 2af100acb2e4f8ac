package risk

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// ReadScope says which payments a client token may list and subscribe to.
type ReadScope string

const (
	// ReadOwn (the default) shows only the payments the client itself made.
	ReadOwn ReadScope = "own"
	// ReadChannels shows every payment, either direction and by whoever made it, on the
	// channels the client may pay on (every channel when its pay scope is unrestricted).
	ReadChannels ReadScope = "channels"
	// ReadAll shows every payment of the node, as the admin sees them.
	ReadAll ReadScope = "all"
)

// maxScopeEntries bounds a scope's lists; a client needing more should be unrestricted.
const maxScopeEntries = 1024

// Scope limits what a client token reaches (issue 22, finding 7). Channels and Partners
// restrict where it may pay: a payment is in scope when its channel is listed, or its
// channel's partner is; with both lists empty it may pay on any channel. Read restricts
// which payments, and so which memos, it may see. The admin token is never restricted.
type Scope struct {
	Channels []string         `json:"channels,omitempty"` // 0x-prefixed channel ids
	Partners []common.Address `json:"partners,omitempty"`
	Read     ReadScope        `json:"read,omitempty"`

	chans map[channel.ID]struct{}
	parts map[common.Address]struct{}
}

// restricted reports whether the scope limits where the client may pay.
func (s *Scope) restricted() bool { return len(s.chans) > 0 || len(s.parts) > 0 }

// allowsPay reports whether a payment on ch to partner is in scope.
func (s *Scope) allowsPay(ch channel.ID, partner common.Address) bool {
	if !s.restricted() {
		return true
	}
	if _, ok := s.chans[ch]; ok {
		return true
	}
	_, ok := s.parts[partner]
	return ok
}

// MayUse reports whether a client with this scope may pay on ch (whose partner is
// partner), and so see that channel: an unrestricted scope uses every channel.
func (s *Scope) MayUse(ch channel.ID, partner common.Address) bool { return s.allowsPay(ch, partner) }

// MayRead reports whether the client named self, with this scope, may see a payment on
// ch (whose partner is partner) made by madeBy ("" for an incoming payment or one made
// outside the API).
func (s *Scope) MayRead(self string, ch channel.ID, partner common.Address, madeBy string) bool {
	switch s.Read {
	case ReadAll:
		return true
	case ReadChannels:
		return s.allowsPay(ch, partner)
	default:
		return madeBy != "" && madeBy == self
	}
}

// ReadsOwnOnly reports whether the client sees only the payments it made, so a caller
// need not look up a payment's partner to decide.
func (s *Scope) ReadsOwnOnly() bool { return s.Read != ReadAll && s.Read != ReadChannels }

func (s Scope) normalized(client string) (Scope, error) {
	switch s.Read {
	case "":
		s.Read = ReadOwn
	case ReadOwn, ReadChannels, ReadAll:
	default:
		return s, fmt.Errorf("risk client %s: scope.read %q is not own, channels or all", client, s.Read)
	}
	if len(s.Channels)+len(s.Partners) > maxScopeEntries {
		return s, fmt.Errorf("risk client %s: scope lists %d channels and partners; at most %d", client, len(s.Channels)+len(s.Partners), maxScopeEntries)
	}
	s.chans, s.parts = nil, nil
	if len(s.Channels) > 0 {
		s.chans = make(map[channel.ID]struct{}, len(s.Channels))
		norm := make([]string, 0, len(s.Channels))
		for _, c := range s.Channels {
			id, err := parseChannelID(c)
			if err != nil {
				return s, fmt.Errorf("risk client %s: scope.channels: %w", client, err)
			}
			s.chans[id] = struct{}{}
			norm = append(norm, "0x"+hex.EncodeToString(id[:]))
		}
		s.Channels = norm
	}
	if len(s.Partners) > 0 {
		s.parts = make(map[common.Address]struct{}, len(s.Partners))
		for _, p := range s.Partners {
			if p == (common.Address{}) {
				return s, fmt.Errorf("risk client %s: scope.partners: the zero address is no partner", client)
			}
			s.parts[p] = struct{}{}
		}
	}
	return s, nil
}

func parseChannelID(s string) (channel.ID, error) {
	var id channel.ID
	h, ok := strings.CutPrefix(s, "0x")
	if !ok || len(h) != 2*len(id) {
		return id, fmt.Errorf("channel id %q: want 0x and 64 hex digits", s)
	}
	if _, err := hex.Decode(id[:], []byte(h)); err != nil {
		return id, fmt.Errorf("channel id %q: %w", s, err)
	}
	if id == (channel.ID{}) {
		return id, fmt.Errorf("channel id %q is all zeros", s)
	}
	return id, nil
}

// ScopeOf returns a client's scope; ok is false for an unknown client. The admin's scope
// is everything.
func (e *Engine) ScopeOf(client string) (Scope, bool) {
	if client == AdminClient {
		return Scope{Read: ReadAll}, true
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	cc, ok := e.cfg.Clients[client]
	if !ok {
		return Scope{}, false
	}
	return cc.Scope, true
}
