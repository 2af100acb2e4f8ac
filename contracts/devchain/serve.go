package devchain

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
)

// Serve exposes the chain's JSON-RPC (eth, net, web3, txpool, debug, evm) over HTTP
// and WebSocket on one address, like Anvil, until ctx ends or the chain closes. addr
// must be a loopback address such as "127.0.0.1:0"; the dev chain has funded public
// keys and no authentication, so it is never offered to the network. Any browser
// origin may connect, as with Anvil; admin_ and miner_ are not served, so no caller
// can open further listeners.
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
	handler := c.public
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

// publicServer builds the RPC server other processes reach: the node's APIs minus the
// namespaces that administer the node itself.
func publicServer(apis []rpc.API) (*rpc.Server, error) {
	srv := rpc.NewServer()
	apis = append(apis, rpc.API{Namespace: "web3", Service: web3API{}})
	for _, api := range apis {
		switch api.Namespace {
		case "eth", "net", "web3", "txpool", "debug", "evm":
			if err := srv.RegisterName(api.Namespace, api.Service); err != nil {
				srv.Stop()
				return nil, fmt.Errorf("devchain: register %s API: %w", api.Namespace, err)
			}
		}
	}
	return srv, nil
}

// web3API answers web3_clientVersion, which tools such as cast ask first.
type web3API struct{}

func (web3API) ClientVersion() string { return "sluice-devchain/go-ethereum" }
