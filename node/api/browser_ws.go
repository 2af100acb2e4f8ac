package api

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
)

// A browser's WebSocket API cannot set an Authorization header, and a token in the URL
// would end up in logs and history. So a page (the dashboard at /ui/) offers two
// subprotocols instead: BrowserSubprotocol and BearerSubprotocolPrefix+<token>. The
// server reads the token from there as if it were the bearer header, drops it from the
// request, and answers with BrowserSubprotocol, the one the browser requires to be
// echoed. Requests with an Authorization header are served exactly as before.
const (
	BrowserSubprotocol      = "sluice.v1"
	BearerSubprotocolPrefix = "sluice.bearer."
)

// browserWebSocket turns a subprotocol-carried token into the bearer header. ok is false
// when r is not such a request; then r and w are returned unchanged.
func browserWebSocket(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, *http.Request, bool) {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") || r.Header.Get("Authorization") != "" {
		return w, r, false
	}
	offered := r.Header.Values("Sec-WebSocket-Protocol")
	var token string
	browser := false
	for _, line := range offered {
		for _, p := range strings.Split(line, ",") {
			p = strings.TrimSpace(p)
			switch {
			case p == BrowserSubprotocol:
				browser = true
			case strings.HasPrefix(p, BearerSubprotocolPrefix):
				token = strings.TrimPrefix(p, BearerSubprotocolPrefix)
			}
		}
	}
	if !browser || token == "" {
		return w, r, false
	}
	r = r.Clone(r.Context())
	r.Header.Del("Sec-WebSocket-Protocol")
	r.Header.Set("Authorization", "Bearer "+token)
	// A page this listener served itself is not cross-origin; go-ethereum's allow-list
	// knows only the configured origins, so the same-origin header is taken off before it.
	if o := r.Header.Get("Origin"); o == "http://"+r.Host || o == "https://"+r.Host {
		r.Header.Del("Origin")
	}
	return &subprotocolWriter{ResponseWriter: w, proto: BrowserSubprotocol}, r, true
}

// subprotocolWriter adds "Sec-WebSocket-Protocol: proto" to the 101 response that
// go-ethereum's upgrader writes straight to the hijacked connection.
type subprotocolWriter struct {
	http.ResponseWriter
	proto string
}

func (w *subprotocolWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("api: response writer cannot be hijacked")
	}
	conn, rw, err := h.Hijack()
	if err != nil {
		return nil, nil, err
	}
	return &handshakeConn{Conn: conn, header: "Sec-WebSocket-Protocol: " + w.proto + "\r\n"}, rw, nil
}

// handshakeConn inserts header after the status line of the first thing written: the
// upgrade response, written in one piece.
type handshakeConn struct {
	net.Conn
	once   sync.Once
	header string
}

func (c *handshakeConn) Write(p []byte) (int, error) {
	var out []byte
	c.once.Do(func() {
		if i := bytes.Index(p, []byte("\r\n")); i >= 0 && bytes.HasPrefix(p, []byte("HTTP/1.1 101")) {
			out = make([]byte, 0, len(p)+len(c.header))
			out = append(out, p[:i+2]...)
			out = append(out, c.header...)
			out = append(out, p[i+2:]...)
		}
	})
	if out == nil {
		return c.Conn.Write(p)
	}
	if _, err := c.Conn.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
