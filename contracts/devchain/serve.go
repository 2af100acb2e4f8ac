package devchain

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// Serve exposes the chain's JSON-RPC (eth, net, web3, txpool, debug, evm) over HTTP
// and WebSocket on one address, like Anvil, until ctx ends or the chain closes. addr
// must be a loopback address such as "127.0.0.1:0"; the dev chain has funded public
// keys and no authentication, so it is never offered to the network.
func (c *Chain) Serve(ctx context.Context, addr string) (httpURL, wsURL string, err error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", "", fmt.Errorf("devchain: serve %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", "", fmt.Errorf("devchain: serve %q: not a loopback address", addr)
	}
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if c.closed {
		return "", "", fmt.Errorf("devchain: serve %q: chain closed", addr)
	}
	handler, err := c.stack.RPCHandler()
	if err != nil {
		return "", "", fmt.Errorf("devchain: serve %q: %w", addr, err)
	}
	ws := handler.WebsocketHandler([]string{"*"})
	mux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			ws.ServeHTTP(w, r)
			return
		}
		handler.ServeHTTP(w, r)
	})
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return "", "", fmt.Errorf("devchain: serve %q: %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	chainCtx := c.stopCtx
	c.wg.Add(2)
	go func() {
		defer c.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			c.log("devchain: rpc server stopped", "addr", ln.Addr(), "err", err)
		}
	}()
	go func() {
		defer c.wg.Done()
		select {
		case <-ctx.Done():
		case <-chainCtx.Done():
		}
		// Hijacked WebSocket connections are not closed by Shutdown; Close drops them.
		_ = srv.Close()
	}()
	hostPort := ln.Addr().String()
	return "http://" + hostPort, "ws://" + hostPort, nil
}
