package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var testToken = strings.Repeat("5a", 32)

type testServer struct {
	*Server
	backend *fakeBackend
}

// startServer runs a real server on a free loopback port and stops it when the test ends.
func startServer(t testing.TB, mutate func(*Config)) testServer {
	t.Helper()
	b := newFakeBackend()
	cfg := Config{Addr: "127.0.0.1:0", Token: testToken}
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := NewServer(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return testServer{Server: srv, backend: b}
}

func metricsRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "sluice_test_total", Help: "test counter"})
	c.Add(3)
	reg.MustRegister(c)
	return reg
}

type rpcReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int               `json:"code"`
		Message string            `json:"message"`
		Data    map[string]string `json:"data"`
	} `json:"error"`
}

// rawCall posts one JSON-RPC request with the given params JSON and authorization.
func rawCall(t testing.TB, url, auth, method, params string) (int, rpcReply) {
	t.Helper()
	body := `{"jsonrpc":"2.0","id":1,"method":"` + method + `","params":` + params + `}`
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var reply rpcReply
	if err := json.Unmarshal(data, &reply); err != nil {
		t.Fatalf("%s: reply is not JSON-RPC (%d): %s", method, resp.StatusCode, data)
	}
	return resp.StatusCode, reply
}

func call(t testing.TB, srv testServer, method, params string) rpcReply {
	t.Helper()
	_, reply := rawCall(t, srv.URL(), "Bearer "+testToken, method, params)
	return reply
}
