package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/sluicepay/sluice/node/devcluster/demo"
)

// printRouted prints the routed scene: the payments with their fees, the failure cases,
// every role's wei and the routed channels' payouts.
func printRouted(w io.Writer, r *demo.RoutedReport) error {
	if r == nil {
		return nil
	}
	f := demo.FormatAmount
	fmt.Fprintf(w, "\nRouted payments through the hub (fee %s, reveal margin %ds)\n", r.HubFee, r.RevealMargin)
	rows := [][]string{{"FROM", "TO", "AMOUNT", "FEE (WEI)", "HOPS", "OUTCOME", ""}}
	for _, p := range r.Payments {
		rows = append(rows, []string{p.From, p.To, f(p.Amount), p.Fee, strconv.Itoa(p.Hops), p.Outcome, mark(p.OK)})
	}
	if err := table(w, rows); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nFailure cases")
	for _, c := range r.Cases {
		m := mark(c.OK)
		if c.NotPlayed {
			m = "-"
		}
		fmt.Fprintf(w, "  %s %s: %s\n", m, c.Case, c.Outcome)
	}
	fmt.Fprintln(w, "\nEvery wei of the routed scene (gain on chain = payouts and unlocks minus deposits; ETH)")
	parties := [][]string{{"PARTY", "TALLY (WEI)", "EXPECTED GAIN", "ON-CHAIN GAIN", "GAS", "EXPECTED CHANGE", "ON-CHAIN CHANGE", ""}}
	for _, p := range r.Parties {
		parties = append(parties, []string{p.Party, p.Books, f(p.Expected), f(p.OnChain), f(p.Gas), f(p.ExpectedChange), f(p.OnChainChange), mark(p.OK)})
	}
	if err := table(w, parties); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nRouted channels (payouts from ChannelSettled events)")
	chans := [][]string{{"CHANNEL", "CLOSE", "PARTY", "DEPOSIT", "PAID", "RECEIVED", "EXPECTED PAYOUT", "ON-CHAIN PAYOUT", ""}}
	for _, ch := range r.Channels {
		for i, p := range ch.Parties {
			name, closing := ch.Name, ch.Closing
			if i > 0 {
				name, closing = "", ""
			}
			chans = append(chans, []string{name, closing, p.Party, f(p.Deposit), f(p.Paid), f(p.Received), f(p.Expected), f(p.OnChain), mark(p.OK)})
		}
	}
	if err := table(w, chans); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nIndependent audit of the routed chain: %s\n", r.Audit)
	return nil
}
