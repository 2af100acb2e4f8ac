package audit

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ethereum/go-ethereum/common"
)

// Format is an output format of a Report.
type Format string

const (
	FormatText Format = "text"
	FormatJSON Format = "json"
	FormatCSV  Format = "csv"
)

// ParseFormat accepts text, json or csv.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case FormatText, FormatJSON, FormatCSV:
		return f, nil
	}
	return "", fmt.Errorf("format %q: want text, json or csv", s)
}

// Write renders the report. CSV has one row per channel; its findings are the caller's
// to print elsewhere (WriteFindings), since they do not fit the channel rows.
func (r *Report) Write(w io.Writer, f Format) error {
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r.jsonView())
	case FormatCSV:
		return r.writeCSV(w)
	default:
		return r.writeText(w)
	}
}

// WriteFindings prints every discrepancy and warning, one per line.
func (r *Report) WriteFindings(w io.Writer) error {
	for _, f := range r.Discrepancies {
		if _, err := fmt.Fprintf(w, "DISCREPANCY %s\n", f); err != nil {
			return err
		}
	}
	for _, f := range r.Warnings {
		if _, err := fmt.Fprintf(w, "warning %s\n", f); err != nil {
			return err
		}
	}
	return nil
}

func (r *Report) writeText(w io.Writer) error {
	scope := "full history"
	if !r.FullScan {
		scope = "partial: channels opened earlier read from the contract"
	}
	fmt.Fprintf(w, "Sluice audit of %s on chain %d, blocks %d..%d (%s)\n\n", r.Contract, r.ChainID, r.FromBlock, r.ToBlock, scope)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHANNEL\tTOKEN\tSTATUS\tDEPOSIT A/B\tWITHDRAWN A/B\tNONCE A/B\tTRANSFERRED A/B\tPAID A/B\tSIGS\tRESULT")
	for _, c := range r.Channels {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d/%d\t%s\t%s\t%d\t%s\n", shortID(c.ID.String()), shortToken(c.Token), statusText(c),
			pair(c.Deposit), pair(c.Withdrawn), c.Nonce[0], c.Nonce[1], pair(c.Transferred), pair(c.Paid), c.Signatures, verdict(c.OK(), c.Issues))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Holdings != nil {
		fmt.Fprintf(w, "\nSolvency at block %d\n", r.ToBlock)
		fmt.Fprintln(tw, "TOKEN\tHELD\tOWED\tLOCKED\tCREDITS\tCHANNELS\tRESULT")
		for _, h := range r.Holdings {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", shortToken(h.Token), h.Held, h.Owed(), h.Locked, h.Credits, h.Channels, solventText(h.Solvent))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if r.ProofNode != nil {
		fmt.Fprintf(w, "\nProofs of node %s\n", r.ProofNode)
		fmt.Fprintln(tw, "CHANNEL\tSTATUS\tRECEIVED NONCE\tON-CHAIN NONCE\tPAID\tENTITLED\tRESULT")
		for _, p := range r.Proofs {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\n", shortID(p.Channel.String()), p.Status, p.ReceivedNonce, p.OnChainNonce, amount(p.Paid), amount(p.Entitled), verdict(p.OK, 1))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	t := r.Totals
	fmt.Fprintf(w, "\n%d channels (%d open, %d closing, %d settled: %d cooperative, %d unilateral), %d events, %d signatures verified, in %s\n",
		t.Channels, t.Open, t.Closing, t.Settled, t.Cooperative, t.Unilateral, t.Events, t.Signatures, r.Elapsed.Round(1e6))
	if len(r.Discrepancies)+len(r.Warnings) > 0 {
		fmt.Fprintln(w)
		if err := r.WriteFindings(w); err != nil {
			return err
		}
	}
	if r.OK() {
		_, err := fmt.Fprintf(w, "\nRESULT: CONSISTENT (%d warnings)\n", t.Warnings)
		return err
	}
	_, err := fmt.Fprintf(w, "\nRESULT: %d DISCREPANCIES (%d warnings)\n", t.Discrepancies, t.Warnings)
	return err
}

var csvHeader = []string{"channel", "a", "b", "token", "status", "depositA", "depositB", "withdrawnA", "withdrawnB",
	"nonceA", "nonceB", "transferredA", "transferredB", "paidA", "paidB", "cooperative",
	"openedBlock", "closedBlock", "settledBlock", "events", "signaturesVerified", "discrepancies"}

func (r *Report) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	u := func(v uint64) string { return strconv.FormatUint(v, 10) }
	for _, c := range r.Channels {
		row := []string{c.ID.String(), c.A.Hex(), c.B.Hex(), c.Token.Hex(), c.Status.String(),
			amount(c.Deposit[0]), amount(c.Deposit[1]), amount(c.Withdrawn[0]), amount(c.Withdrawn[1]),
			u(c.Nonce[0]), u(c.Nonce[1]), amount(c.Transferred[0]), amount(c.Transferred[1]),
			optAmount(c.Paid[0]), optAmount(c.Paid[1]), strconv.FormatBool(c.Cooperative),
			u(c.Opened), u(c.Closed), u(c.Settled), strconv.Itoa(c.Events), strconv.Itoa(c.Signatures), strconv.Itoa(c.Issues)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

type jsonFinding struct {
	Code    Code   `json:"code"`
	Channel string `json:"channel,omitempty"`
	Block   uint64 `json:"block,omitempty"`
	Tx      string `json:"tx,omitempty"`
	Message string `json:"message"`
}

type jsonChannel struct {
	ID          string         `json:"id"`
	A           common.Address `json:"a"`
	B           common.Address `json:"b"`
	Token       common.Address `json:"token"`
	Status      string         `json:"status"`
	Deposit     [2]string      `json:"deposit"`
	Withdrawn   [2]string      `json:"withdrawn"`
	Nonce       [2]uint64      `json:"nonce"`
	Transferred [2]string      `json:"transferred"`
	Paid        *[2]string     `json:"paid,omitempty"`
	Cooperative bool           `json:"cooperative"`
	Opened      uint64         `json:"openedBlock,omitempty"`
	Closed      uint64         `json:"closedBlock,omitempty"`
	Settled     uint64         `json:"settledBlock,omitempty"`
	Events      int            `json:"events"`
	Signatures  int            `json:"signaturesVerified"`
	Seeded      bool           `json:"seeded,omitempty"`
	OK          bool           `json:"ok"`
}

type jsonHolding struct {
	Token    common.Address `json:"token"`
	Held     string         `json:"held"`
	Owed     string         `json:"owed"`
	Locked   string         `json:"locked"`
	Credits  string         `json:"credits"`
	Channels int            `json:"channels"`
	Solvent  bool           `json:"solvent"`
}

type jsonProof struct {
	Channel       string `json:"channel"`
	Status        string `json:"status"`
	ReceivedNonce uint64 `json:"receivedNonce"`
	OnChainNonce  uint64 `json:"onChainNonce"`
	Paid          string `json:"paid,omitempty"`
	Entitled      string `json:"entitled,omitempty"`
	OK            bool   `json:"ok"`
}

type jsonReport struct {
	OK            bool            `json:"ok"`
	ChainID       uint64          `json:"chainId"`
	Contract      common.Address  `json:"contract"`
	FromBlock     uint64          `json:"fromBlock"`
	ToBlock       uint64          `json:"toBlock"`
	FullScan      bool            `json:"fullScan"`
	Totals        Totals          `json:"totals"`
	ElapsedMs     int64           `json:"elapsedMs"`
	Discrepancies []jsonFinding   `json:"discrepancies"`
	Warnings      []jsonFinding   `json:"warnings"`
	Holdings      []jsonHolding   `json:"holdings,omitempty"`
	ProofNode     *common.Address `json:"proofNode,omitempty"`
	Proofs        []jsonProof     `json:"proofs,omitempty"`
	Channels      []jsonChannel   `json:"channels"`
}

func (r *Report) jsonView() jsonReport {
	out := jsonReport{OK: r.OK(), ChainID: r.ChainID, Contract: r.Contract, FromBlock: r.FromBlock, ToBlock: r.ToBlock,
		FullScan: r.FullScan, Totals: r.Totals, ElapsedMs: r.Elapsed.Milliseconds(), ProofNode: r.ProofNode,
		Discrepancies: jsonFindings(r.Discrepancies), Warnings: jsonFindings(r.Warnings), Channels: make([]jsonChannel, len(r.Channels))}
	for i, c := range r.Channels {
		jc := jsonChannel{ID: c.ID.String(), A: c.A, B: c.B, Token: c.Token, Status: c.Status.String(),
			Deposit: strPair(c.Deposit), Withdrawn: strPair(c.Withdrawn), Nonce: c.Nonce, Transferred: strPair(c.Transferred),
			Cooperative: c.Cooperative, Opened: c.Opened, Closed: c.Closed, Settled: c.Settled,
			Events: c.Events, Signatures: c.Signatures, Seeded: c.Seeded, OK: c.OK()}
		if c.Paid[0] != nil {
			p := strPair(c.Paid)
			jc.Paid = &p
		}
		out.Channels[i] = jc
	}
	for _, h := range r.Holdings {
		out.Holdings = append(out.Holdings, jsonHolding{Token: h.Token, Held: amount(h.Held), Owed: amount(h.Owed()),
			Locked: amount(h.Locked), Credits: amount(h.Credits), Channels: h.Channels, Solvent: h.Solvent})
	}
	for _, p := range r.Proofs {
		out.Proofs = append(out.Proofs, jsonProof{Channel: p.Channel.String(), Status: p.Status, ReceivedNonce: p.ReceivedNonce,
			OnChainNonce: p.OnChainNonce, Paid: optAmount(p.Paid), Entitled: optAmount(p.Entitled), OK: p.OK})
	}
	return out
}

func jsonFindings(fs []Finding) []jsonFinding {
	out := make([]jsonFinding, len(fs))
	for i, f := range fs {
		out[i] = jsonFinding{Code: f.Code, Channel: f.ChannelString(), Block: f.Block, Tx: f.TxString(), Message: f.Message}
	}
	return out
}

func amount(x *big.Int) string {
	if x == nil {
		return "0"
	}
	return x.String()
}

func optAmount(x *big.Int) string {
	if x == nil {
		return ""
	}
	return x.String()
}

func strPair(p [2]*big.Int) [2]string { return [2]string{amount(p[0]), amount(p[1])} }

func pair(p [2]*big.Int) string {
	if p[0] == nil && p[1] == nil {
		return "-"
	}
	return amount(p[0]) + "/" + amount(p[1])
}

func shortID(s string) string {
	if len(s) <= 14 {
		return s
	}
	return s[:8] + "…" + s[len(s)-4:]
}

func shortToken(t common.Address) string {
	if t == (common.Address{}) {
		return "ETH"
	}
	return shortID(t.Hex())
}

func statusText(c ChannelReport) string {
	if c.Paid[0] == nil {
		return c.Status.String()
	}
	if c.Cooperative {
		return "settled (coop)"
	}
	return "settled (challenge)"
}

func verdict(ok bool, issues int) string {
	if ok {
		return "ok"
	}
	return fmt.Sprintf("%d ISSUE(S)", issues)
}

func solventText(ok bool) string {
	if ok {
		return "solvent"
	}
	return "INSOLVENT"
}
