package p2p

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
)

// TestPortClashIsOneClearError is issue 21, finding 9: a node started on a port in use
// printed libp2p's fx errors (three lines in another log format) before failing. Now it
// fails before libp2p starts, with one error naming the address and what to do.
func TestPortClashIsOneClearError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	addr := "/ip4/127.0.0.1/tcp/" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)

	_, err = New(Config{Key: newKey(t), ChainID: testChainID, Handler: newTestHandler(), ListenAddrs: []string{addr}})
	if !errors.Is(err, ErrListenAddrInUse) || !strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), "--listen") {
		t.Fatalf("start on a port in use: %v, want ErrListenAddrInUse naming %s and --listen", err, addr)
	}
}
