package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// dialBrowser opens a WebSocket the way the dashboard does: the token as a subprotocol.
func dialBrowser(t *testing.T, srv testServer, protocols []string, origin string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	d := websocket.Dialer{Subprotocols: protocols, HandshakeTimeout: 5 * time.Second}
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	return d.Dial(strings.Replace(srv.URL(), "http://", "ws://", 1)+"/", h)
}

func TestBrowserWebSocketCarriesTheTokenAsASubprotocol(t *testing.T) {
	srv := startServer(t, nil)
	conn, resp, err := dialBrowser(t, srv, []string{BrowserSubprotocol, BearerSubprotocolPrefix + testToken}, srv.URL())
	if err != nil {
		t.Fatalf("dial with the token as a subprotocol: %v (response %v)", err, resp)
	}
	defer conn.Close()
	if got := conn.Subprotocol(); got != BrowserSubprotocol {
		t.Fatalf("server chose subprotocol %q, want %q (browsers drop the connection otherwise)", got, BrowserSubprotocol)
	}
	if err := conn.WriteJSON(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "sluice_subscribe", "params": []any{"payments"}}); err != nil {
		t.Fatal(err)
	}
	var reply struct {
		Result string          `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := conn.ReadJSON(&reply); err != nil || reply.Result == "" {
		t.Fatalf("subscribe over the browser socket: %v %s", err, reply.Error)
	}
	waitFor(t, "subscriber attached", func() bool { return srv.backend.subscribers() == statsSubscribers+1 })
	srv.backend.emitPayment(testPaymentView(testChannel, 1))
	var note struct {
		Method string `json:"method"`
		Params struct {
			Result Payment `json:"result"`
		} `json:"params"`
	}
	if err := conn.ReadJSON(&note); err != nil || note.Method != "sluice_subscription" || note.Params.Result.Proof.Nonce != 1 {
		t.Fatalf("notification %+v, err %v", note, err)
	}
}

func TestBrowserWebSocketRefusesWrongMissingOrForeignTokens(t *testing.T) {
	srv := startServer(t, nil)
	cases := []struct {
		name      string
		protocols []string
		origin    string
		status    int
	}{
		{"wrong token", []string{BrowserSubprotocol, BearerSubprotocolPrefix + strings.Repeat("ab", 32)}, srv.URL(), http.StatusUnauthorized},
		{"no token", []string{BrowserSubprotocol}, srv.URL(), http.StatusUnauthorized},
		{"token without the browser protocol", []string{BearerSubprotocolPrefix + testToken}, srv.URL(), http.StatusUnauthorized},
		{"right token from a foreign page", []string{BrowserSubprotocol, BearerSubprotocolPrefix + testToken}, "http://evil.example", http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conn, resp, err := dialBrowser(t, srv, tc.protocols, tc.origin)
			if err == nil {
				conn.Close()
				t.Fatal("connection admitted")
			}
			if resp == nil || resp.StatusCode != tc.status {
				t.Fatalf("response %v, want status %d", resp, tc.status)
			}
		})
	}
}

func TestDashboardIsServedUnderUI(t *testing.T) {
	srv := startServer(t, nil)
	for _, path := range []string{"/ui/", "/ui/app.js", "/ui/rpc.js", "/ui/style.css"} {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL()+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Fatalf("GET %s: Content-Security-Policy %q", path, csp)
		}
	}
}
