package api

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestEmptyBodyIsAnInvalidRequestNotASilentOK is issue 21, finding 2: an empty POST was
// answered HTTP 200 with no body at all.
func TestEmptyBodyIsAnInvalidRequestNotASilentOK(t *testing.T) {
	srv := startServer(t, nil)
	for _, body := range []string{"", " \n\t"} {
		status, text := rawCallStatus(t, srv.URL(), body)
		var reply rpcReply
		if err := json.Unmarshal([]byte(text), &reply); err != nil || reply.Error == nil {
			t.Fatalf("body %q: HTTP %d %q, want a JSON-RPC error", body, status, text)
		}
		if status != http.StatusBadRequest || reply.Error.Code != CodeInvalidRequest || reply.Error.Data["kind"] != "invalid_request" {
			t.Fatalf("body %q: HTTP %d, error %+v; want 400, %d, kind invalid_request", body, status, *reply.Error, CodeInvalidRequest)
		}
	}
}

// TestErrorsOfTheRPCLayerCarryAKind is issue 21, finding 2: parameters go-ethereum's rpc
// server fails to decode into our types, unknown methods and bodies that are not JSON were
// answered without data.kind, which docs/api.md promises on every error.
func TestErrorsOfTheRPCLayerCarryAKind(t *testing.T) {
	srv := startServer(t, nil)
	chanID := `"0x` + "ab" + `"`
	cases := []struct {
		name, body string
		code       int
		kind       string
	}{
		{"fractional amount", `{"jsonrpc":"2.0","id":1,"method":"sluice_pay","params":[{"channel":"0x` + repeat("ab", 32) + `","amount":"1.5"}]}`, CodeInvalidParams, "invalid_params"},
		{"short channel id", `{"jsonrpc":"2.0","id":1,"method":"sluice_channel","params":[` + chanID + `]}`, CodeInvalidParams, "invalid_params"},
		{"params of the wrong type", `{"jsonrpc":"2.0","id":1,"method":"sluice_pay","params":["pay me"]}`, CodeInvalidParams, "invalid_params"},
		{"unknown method", `{"jsonrpc":"2.0","id":1,"method":"sluice_mint","params":[]}`, CodeMethodNotFound, "method_not_found"},
		{"not JSON", `{"jsonrpc":"2.0","id":1,"method":"sluice_pay","params":[{`, CodeParseError, "parse_error"},
	}
	for _, tc := range cases {
		_, text := rawCallStatus(t, srv.URL(), tc.body)
		var reply rpcReply
		if err := json.Unmarshal([]byte(text), &reply); err != nil || reply.Error == nil {
			t.Fatalf("%s: reply %q, want a JSON-RPC error", tc.name, text)
		}
		if reply.Error.Code != tc.code || reply.Error.Data["kind"] != tc.kind || reply.Error.Message == "" {
			t.Errorf("%s: error %+v, want code %d kind %q", tc.name, *reply.Error, tc.code, tc.kind)
		}
	}
	// A batch gets the kinds too, and a result is passed through unchanged.
	_, text := rawCallStatus(t, srv.URL(), `[{"jsonrpc":"2.0","id":1,"method":"sluice_mint"},{"jsonrpc":"2.0","id":2,"method":"sluice_nodeInfo"}]`)
	var batch []rpcReply
	if err := json.Unmarshal([]byte(text), &batch); err != nil || len(batch) != 2 {
		t.Fatalf("batch reply %q (%v)", text, err)
	}
	if batch[0].Error == nil || batch[0].Error.Data["kind"] != "method_not_found" || batch[1].Error != nil || len(batch[1].Result) == 0 {
		t.Fatalf("batch reply %s", text)
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}
