package channel

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// TestIDsAndAddressesLogAsHexInTextAndJSON: an operator greps logs for the ids the
// API and the CLI print, whichever log format the node runs with.
func TestIDsAndAddressesLogAsHexInTextAndJSON(t *testing.T) {
	id := ID{0x08, 0x63, 0x91}
	addr := common.HexToAddress("0x00000000000000000000000000000000000000aB")
	for name, mk := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(mk(&buf)).Info("x", "channel", id, "peer", addr)
		out := buf.String()
		if !strings.Contains(out, id.String()) {
			t.Errorf("%s log has no %s: %s", name, id, out)
		}
		if !strings.Contains(strings.ToLower(out), "0x00000000000000000000000000000000000000ab") {
			t.Errorf("%s log has no hex address: %s", name, out)
		}
		if strings.Contains(out, "[8") {
			t.Errorf("%s log prints the id as a byte array: %s", name, out)
		}
	}
}
