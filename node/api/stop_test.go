package api

import (
	"bytes"
	"context"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestStopLeavesNoGoroutinesBehind(t *testing.T) {
	before := runtime.NumGoroutine()
	b := newFakeBackend()
	srv, err := NewServer(b, Config{Addr: "127.0.0.1:0", Token: testToken, Metrics: metricsRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	httpClient := &http.Client{Transport: &http.Transport{}}
	req, _ := http.NewRequest(http.MethodPost, srv.URL(), bytes.NewBufferString(`{"jsonrpc":"2.0","id":1,"method":"sluice_nodeInfo","params":[]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ws, err := Dial(ctx, strings.Replace(srv.URL(), "http://", "ws://", 1), testToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.SubscribeChannelEvents(ctx, make(chan ChannelEvent, 1), nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "subscriber attached", func() bool { return b.subscribers() == statsSubscribers+1 })

	stopCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := srv.Stop(stopCtx); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	httpClient.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines after Stop, %d before:\n%s", runtime.NumGoroutine(), before, buf[:n])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
