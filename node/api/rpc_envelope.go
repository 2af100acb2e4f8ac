package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
)

// Codes go-ethereum's rpc server answers by itself, before any method of ours runs.
const (
	CodeParseError     = -32700
	CodeInvalidRequest = -32600
	CodeMethodNotFound = -32601
)

// protocolKinds names the errors go-ethereum's rpc server produces on its own (a body
// that is not JSON, an unknown method, parameters it failed to decode into our types).
// They reach the client without data.kind; docs/api.md promises one on every error.
var protocolKinds = map[int]string{
	CodeParseError:     "parse_error",
	CodeInvalidRequest: "invalid_request",
	CodeMethodNotFound: "method_not_found",
	CodeInvalidParams:  "invalid_params",
}

// serveHTTPRPC serves one JSON-RPC request over plain HTTP through next (go-ethereum's
// rpc.Server). An empty body, which next would answer with HTTP 200 and no body at all,
// is answered HTTP 400 with an invalid-request error; and every error next wrote without
// data.kind gets the kind of its code.
func serveHTTPRPC(next http.Handler, w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		body := bufio.NewReader(r.Body)
		if isBlank(body) {
			writeRPCError(w, http.StatusBadRequest, CodeInvalidRequest, "invalid_request",
				"invalid request: empty body; send a JSON-RPC 2.0 request object")
			return
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{body, r.Body}
	}
	rec := &bufferedResponse{header: w.Header(), status: http.StatusOK}
	next.ServeHTTP(rec, r)
	out := addErrorKinds(rec.body.Bytes())
	if len(out) != rec.body.Len() {
		w.Header().Del("Content-Length")
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(out)
}

// isBlank consumes leading JSON whitespace and reports whether nothing else follows.
func isBlank(r *bufio.Reader) bool {
	for {
		b, err := r.ReadByte()
		if err != nil {
			return true
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		_ = r.UnreadByte()
		return false
	}
}

func writeRPCError(w http.ResponseWriter, status, code int, kind, msg string) {
	body, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0",
		"id":      nil,
		"error":   map[string]any{"code": code, "message": msg, "data": map[string]string{"kind": kind}},
	})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// bufferedResponse holds next's answer so its errors can be completed before it is sent.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) WriteHeader(status int)      { b.status = status }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }

// rpcMessage is one JSON-RPC response; fields are kept raw so a rewrite changes nothing
// but the error's data.
type rpcMessage map[string]json.RawMessage

// addErrorKinds returns body with data.kind added to every error (of a single response
// or a batch) that has a known code and no data. Anything it cannot parse is returned
// unchanged.
func addErrorKinds(body []byte) []byte {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || !bytes.Contains(trimmed, []byte(`"error"`)) {
		return body
	}
	if trimmed[0] == '[' {
		var batch []rpcMessage
		if json.Unmarshal(trimmed, &batch) != nil {
			return body
		}
		changed := false
		for _, m := range batch {
			changed = addErrorKind(m) || changed
		}
		if !changed {
			return body
		}
		out, err := json.Marshal(batch)
		if err != nil {
			return body
		}
		return append(out, '\n')
	}
	var m rpcMessage
	if json.Unmarshal(trimmed, &m) != nil || !addErrorKind(m) {
		return body
	}
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return append(out, '\n')
}

func addErrorKind(m rpcMessage) bool {
	raw, ok := m["error"]
	if !ok {
		return false
	}
	var e map[string]json.RawMessage
	if json.Unmarshal(raw, &e) != nil {
		return false
	}
	if _, has := e["data"]; has {
		return false
	}
	var code int
	if json.Unmarshal(e["code"], &code) != nil {
		return false
	}
	kind, known := protocolKinds[code]
	if !known {
		return false
	}
	e["data"], _ = json.Marshal(map[string]string{"kind": kind})
	out, err := json.Marshal(e)
	if err != nil {
		return false
	}
	m["error"] = out
	return true
}
