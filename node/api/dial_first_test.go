package api

import (
	"context"
	"net"
	"strings"
	"testing"
)

func TestDialFirstReachesTheEndpointThatAnswers(t *testing.T) {
	srv := startServer(t, nil)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close() // a standby: nothing listens there
	c, err := DialFirst(context.Background(), SplitURLs(dead+", "+srv.URL()), testToken)
	if err != nil {
		t.Fatalf("dial %s then %s: %v", dead, srv.URL(), err)
	}
	defer c.Close()
	if _, err := c.NodeInfo(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err = DialFirst(context.Background(), []string{dead}, testToken)
	if err == nil || !strings.Contains(err.Error(), dead) {
		t.Fatalf("only a dead endpoint: %v, want an error naming it", err)
	}
}
