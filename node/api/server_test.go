package api

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestHTTPRequestsNeedTheBearerToken(t *testing.T) {
	srv := startServer(t, nil)
	tests := []struct {
		name       string
		auth       string
		wantStatus int
	}{
		{"missing token", "", http.StatusUnauthorized},
		{"wrong token", "Bearer " + strings.Repeat("00", 32), http.StatusUnauthorized},
		{"wrong scheme", "Basic " + testToken, http.StatusUnauthorized},
		{"right token", "Bearer " + testToken, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, reply := rawCall(t, srv.URL(), tt.auth, "sluice_nodeInfo", `[]`)
			if status != tt.wantStatus {
				t.Fatalf("status %d, want %d", status, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusOK {
				if reply.Error != nil {
					t.Fatalf("error %+v", reply.Error)
				}
				return
			}
			if reply.Error == nil || reply.Error.Code != CodeUnauthorized || !strings.Contains(reply.Error.Message, "unauthorized") {
				t.Fatalf("reply %+v, want code %d unauthorized", reply.Error, CodeUnauthorized)
			}
		})
	}
}

func TestClientReportsUnauthorizedForWrongToken(t *testing.T) {
	srv := startServer(t, nil)
	ctx := context.Background()
	for _, scheme := range []string{"http", "ws"} {
		t.Run(scheme, func(t *testing.T) {
			url := strings.Replace(srv.URL(), "http", scheme, 1)
			c, err := Dial(ctx, url, strings.Repeat("00", 32))
			if err == nil {
				defer c.Close()
				_, err = c.NodeInfo(ctx)
			}
			if !errors.Is(err, ErrUnauthorized) {
				t.Fatalf("err = %v, want ErrUnauthorized", err)
			}
		})
	}
}

func TestWebSocketUpgradeWithoutTokenIsRefused(t *testing.T) {
	srv := startServer(t, nil)
	req, _ := http.NewRequest(http.MethodGet, srv.URL(), nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("upgrade without token: status %d, want 401", resp.StatusCode)
	}
}

func TestMetricsAreTokenProtectedUnlessPublic(t *testing.T) {
	tests := []struct {
		name       string
		public     bool
		auth       string
		wantStatus int
	}{
		{"protected without token", false, "", http.StatusUnauthorized},
		{"protected with token", false, "Bearer " + testToken, http.StatusOK},
		{"public without token", true, "", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, func(c *Config) { c.Metrics = metricsRegistry(); c.MetricsPublic = tt.public })
			req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/metrics", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusOK && !strings.Contains(string(body), "sluice_test_total 3") {
				t.Fatalf("metrics body lacks the test counter:\n%s", body)
			}
		})
	}
}

func TestOversizedRequestIsRefused(t *testing.T) {
	srv := startServer(t, func(c *Config) { c.MaxRequestBytes = 1024 })
	memo := strings.Repeat("x", 4096)
	status, _ := rawCallStatus(t, srv.URL(), `{"jsonrpc":"2.0","id":1,"method":"sluice_nodeInfo","params":["`+memo+`"]}`)
	if status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", status)
	}
}

func rawCallStatus(t *testing.T, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func TestUnknownPathIsNotFound(t *testing.T) {
	srv := startServer(t, nil)
	status, _ := rawCallStatus(t, srv.URL()+"/admin", `{}`)
	if status != http.StatusNotFound {
		t.Fatalf("status %d, want 404", status)
	}
}

func TestNewServerRejectsMalformedToken(t *testing.T) {
	for _, token := range []string{"", "secret", strings.Repeat("g", 64)} {
		if _, err := NewServer(newFakeBackend(), Config{Token: token}); err == nil {
			t.Errorf("NewServer accepted token %q", token)
		}
	}
}

func TestStopClosesListenerAndSubscriptionsAndIsIdempotent(t *testing.T) {
	b := newFakeBackend()
	srv, err := NewServer(b, Config{Addr: "127.0.0.1:0", Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr().String()
	c, err := Dial(ctx, "ws://"+addr, testToken)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sub, err := c.SubscribePayments(ctx, make(chan Payment, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "subscriber attached", func() bool { return b.subscribers() == statsSubscribers+1 })

	stopCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := srv.Stop(stopCtx); err != nil {
		t.Fatal(err)
	}
	// Stop waits for the forwarding goroutines, so they must already have detached.
	if n := b.subscribers(); n != 0 {
		t.Fatalf("%d subscribers still attached after Stop", n)
	}
	select {
	case <-sub.Err():
	case <-time.After(5 * time.Second):
		t.Fatal("client subscription did not end after Stop")
	}
	if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		conn.Close()
		t.Fatal("listener still accepts connections after Stop")
	}
	if err := srv.Stop(stopCtx); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if err := srv.Start(ctx); err == nil {
		t.Fatal("Start after Stop succeeded")
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

var _ Backend = (*fakeBackend)(nil)
