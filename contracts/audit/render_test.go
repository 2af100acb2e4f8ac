package audit

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// sampleReport replays a small history with one discrepancy.
func sampleReport(t *testing.T) *Report {
	t.Helper()
	l, found := replay(t, opened(1, 10), closedEv(2, addrA, 0, 0), settledEv(3, 4, 6, false))
	rep := &Report{ChainID: 31337, Contract: common.HexToAddress("0xc0"), ToBlock: 3, FullScan: true,
		Holdings: []Holding{{Locked: bigZero(), Credits: bigZero(), Held: bigZero(), Solvent: true}}}
	rep.Channels, rep.Totals = l.reports(found)
	rep.Discrepancies = found.discrepancies
	rep.Totals.Discrepancies = len(found.discrepancies)
	return rep
}

func TestReportRendersEveryFormat(t *testing.T) {
	rep := sampleReport(t)
	tests := []struct {
		format Format
		check  func(t *testing.T, out string)
	}{
		{FormatText, func(t *testing.T, out string) {
			for _, want := range []string{"blocks 0..3 (full history)", "settled (challenge)", "4/6", "1 ISSUE(S)",
				"DISCREPANCY settlement-mismatch channel " + chanID.String() + " block 3", "RESULT: 1 DISCREPANCIES"} {
				if !strings.Contains(out, want) {
					t.Errorf("text lacks %q:\n%s", want, out)
				}
			}
		}},
		{FormatJSON, func(t *testing.T, out string) {
			var j jsonReport
			if err := json.Unmarshal([]byte(out), &j); err != nil {
				t.Fatal(err)
			}
			if j.OK || len(j.Channels) != 1 || j.Channels[0].Paid == nil || j.Channels[0].Paid[1] != "6" ||
				len(j.Discrepancies) != 1 || j.Discrepancies[0].Channel != chanID.String() || j.Discrepancies[0].Tx != (common.Hash{3}).Hex() {
				t.Errorf("json %+v", j)
			}
		}},
		{FormatCSV, func(t *testing.T, out string) {
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || len(rows[1]) != len(csvHeader) || rows[1][0] != chanID.String() || rows[1][len(csvHeader)-1] != "1" {
				t.Errorf("csv rows %q", rows)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(string(tc.format), func(t *testing.T) {
			var b bytes.Buffer
			if err := rep.Write(&b, tc.format); err != nil {
				t.Fatal(err)
			}
			tc.check(t, b.String())
		})
	}
}

func TestParseFormatRefusesUnknownFormats(t *testing.T) {
	for in, want := range map[string]Format{"text": FormatText, "JSON": FormatJSON, "csv": FormatCSV, "xml": ""} {
		got, err := ParseFormat(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
}

func bigZero() *big.Int { return new(big.Int) }
