package risk

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/store"
)

func parseClientConfig(data []byte) (ClientConfig, error) {
	var c ClientConfig
	if err := decodeStrict(data, &c); err != nil {
		return ClientConfig{}, err
	}
	return c, nil
}

// SetClient adds or replaces a client's policy. It is durable when it returns and
// overrides the config file's entry on later starts; the client's windows, spend and
// baseline carry over, so changing a limit cannot reset what was already spent.
func (e *Engine) SetClient(ctx context.Context, name string, c ClientConfig) (ClientConfig, error) {
	c, err := c.normalized(name)
	if err != nil {
		return ClientConfig{}, err
	}
	// Holding the lock across the commit keeps two admins from binding one token twice.
	e.mu.Lock()
	defer e.mu.Unlock()
	next := Config{Clients: maps.Clone(e.cfg.Clients)}
	next.Clients[name] = c
	if err := next.checkTokenHashes(); err != nil {
		return ClientConfig{}, err
	}
	if e.store != nil {
		v, err := json.Marshal(c)
		if err != nil {
			return ClientConfig{}, fmt.Errorf("set risk client %s: %w", name, err)
		}
		b := store.NewBatch()
		if err := b.PutMeta(nsClients, name, v); err != nil {
			return ClientConfig{}, fmt.Errorf("set risk client %s: %w", name, err)
		}
		if err := b.DeleteMeta(nsDeleted, name); err != nil {
			return ClientConfig{}, fmt.Errorf("set risk client %s: %w", name, err)
		}
		if err := e.store.Commit(ctx, b); err != nil {
			return ClientConfig{}, fmt.Errorf("set risk client %s: %w", name, err)
		}
	}
	e.cfg.Clients[name] = c
	cs := e.clients[name]
	if cs == nil {
		e.clients[name] = newClientState(name, c)
	}
	if cs != nil {
		cs.mu.Lock()
		cs.cfg = c
		cs.mu.Unlock()
	}
	return c, nil
}

// DeleteClient revokes a client: its token stops authenticating at once, and it stays
// deleted across restarts even if the config file still names it (a tombstone), until
// SetClient configures it again. Its spend, windows and audit events are kept.
func (e *Engine) DeleteClient(ctx context.Context, name string) error {
	if name == AdminClient {
		return fmt.Errorf("risk client %q is the node's api.token and cannot be deleted", name)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.cfg.Clients[name]; !ok {
		return fmt.Errorf("risk client %q: %w", name, ErrUnknownClient)
	}
	if e.store != nil {
		b := store.NewBatch()
		if err := b.DeleteMeta(nsClients, name); err != nil {
			return fmt.Errorf("delete risk client %s: %w", name, err)
		}
		if err := b.PutMeta(nsDeleted, name, []byte(e.now().UTC().Format(time.RFC3339Nano))); err != nil {
			return fmt.Errorf("delete risk client %s: %w", name, err)
		}
		if err := e.store.Commit(ctx, b); err != nil {
			return fmt.Errorf("delete risk client %s: %w", name, err)
		}
	}
	delete(e.cfg.Clients, name)
	delete(e.clients, name)
	return nil
}

// ClientForTokenHash returns the client whose configured token hash is h.
func (e *Engine) ClientForTokenHash(h string) (string, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	for name, c := range e.cfg.Clients {
		if c.TokenHash != "" && c.TokenHash == h && name != AdminClient {
			return name, true
		}
	}
	return "", false
}

// Config returns the policy in force, admin changes included.
func (e *Engine) Config() Config {
	e.mu.RLock()
	defer e.mu.RUnlock()
	c := e.cfg
	c.Clients = make(map[string]ClientConfig, len(e.cfg.Clients))
	for k, v := range e.cfg.Clients {
		c.Clients[k] = v
	}
	return c
}

// ClientStatus is a client's policy and where it stands now.
type ClientStatus struct {
	Name       string         `json:"name"`
	Config     ClientConfig   `json:"config"`
	Device     common.Address `json:"device,omitzero"`
	SpentToday Amount         `json:"spentToday"`
	Windows    []WindowStatus `json:"windows"`
	Attempts   uint64         `json:"attempts"`
	Approved   uint64         `json:"approved"` // approved and acknowledged by the payee (Complete)
}

// WindowStatus is one sliding window's current totals.
type WindowStatus struct {
	Window string `json:"window"`
	Count  uint64 `json:"count"`
	Amount Amount `json:"amount"`
}

// Clients lists every client with its current state, by name.
func (e *Engine) Clients() []ClientStatus {
	e.mu.RLock()
	states := make([]*clientState, 0, len(e.clients))
	for _, cs := range e.clients {
		states = append(states, cs)
	}
	e.mu.RUnlock()
	now := e.now().UnixNano()
	out := make([]ClientStatus, 0, len(states))
	for _, cs := range states {
		cs.mu.Lock()
		st := ClientStatus{Name: cs.name, Config: cs.cfg, Attempts: cs.base.attempts, Approved: cs.base.approved}
		if cs.hasDevice {
			st.Device = cs.device
		}
		if cs.day == now/int64(dayNanos) {
			st.SpentToday = cs.spent
		}
		for i := range cs.w {
			c, a := cs.w[i].totals(now)
			st.Windows = append(st.Windows, WindowStatus{Window: Window(i).String(), Count: c, Amount: a})
		}
		cs.mu.Unlock()
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
