package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/node/risk"
)

// clientKey carries the authenticated API client's name in an HTTP request's context.
type clientKey struct{}

// wsClients maps a live WebSocket connection's remote address to the client that opened
// it. go-ethereum's rpc serves WebSocket calls under a background context, dropping the
// upgrade request's values, but it does pass the connection's remote address.
type wsClients struct {
	mu sync.Mutex
	m  map[string]string
}

func (w *wsClients) bind(addr, client string) func() {
	w.mu.Lock()
	if w.m == nil {
		w.m = make(map[string]string)
	}
	w.m[addr] = client
	w.mu.Unlock()
	return func() {
		w.mu.Lock()
		delete(w.m, addr)
		w.mu.Unlock()
	}
}

// dropClient forgets every connection of a deleted client, so its open WebSockets can no
// longer be attributed, and so are refused, from the next call on.
func (w *wsClients) dropClient(client string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for addr, c := range w.m {
		if c == client {
			delete(w.m, addr)
		}
	}
}

func (w *wsClients) lookup(addr string) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.m[addr]
	return c, ok
}

// clientOf names the client behind a call; false means it cannot be told, and the caller
// must refuse rather than guess.
func (l *riskLayer) clientOf(ctx context.Context) (string, bool) {
	if c, ok := ctx.Value(clientKey{}).(string); ok {
		return c, true
	}
	if p := rpc.PeerInfoFromContext(ctx); p.Transport == "ws" {
		return l.conns.lookup(p.RemoteAddr)
	}
	return "", false
}

func noop() {}

// authenticate admits the admin token (client "admin") and, with a risk engine, every
// configured client's token, and records who called for the risk decorator. done must be
// called when the request (for a WebSocket: the connection) ends.
func (s *Server) authenticate(r *http.Request) (_ *http.Request, done func(), ok bool) {
	name := ""
	switch {
	case s.auth.allowed(r):
		name = risk.AdminClient
	case s.risk != nil:
		scheme, token, found := strings.Cut(r.Header.Get("Authorization"), " ")
		if !found || !strings.EqualFold(scheme, "Bearer") {
			return r, noop, false
		}
		sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
		if name, ok = s.risk.engine.ClientForTokenHash(hex.EncodeToString(sum[:])); !ok {
			return r, noop, false
		}
	default:
		return r, noop, false
	}
	if s.risk == nil {
		return r, noop, true
	}
	r = r.WithContext(context.WithValue(r.Context(), clientKey{}, name))
	if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		return r, s.risk.conns.bind(r.RemoteAddr, name), true
	}
	return r, noop, true
}

// TokenHash is the value a client's tokenHash takes in the risk config: the hex SHA-256
// of its bearer token, so the config file never holds a usable token.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
