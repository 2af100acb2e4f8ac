package demo

// RoutedReport is the routed scene: wallets paying merchants by address through a hub
// that charges a fee, its failure cases, and every wei of it on chain.
type RoutedReport struct {
	HubFee       string          `json:"hubFee"`              // the hub's fee policy
	RevealMargin uint64          `json:"revealMarginSeconds"` // every node's
	Payments     []RoutedRow     `json:"payments"`
	Cases        []CaseRow       `json:"cases"`
	Parties      []RoutedParty   `json:"parties"`
	Channels     []ChannelReport `json:"channels"`
	Audit        string          `json:"audit"`
}

// RoutedRow is one routed payment of the first stage. Amounts in wei.
type RoutedRow struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Amount  string `json:"amount"`
	Fee     string `json:"fee"`
	Hops    int    `json:"hops"`
	OK      bool   `json:"ok"`
	Outcome string `json:"outcome"`
}

// CaseRow is one failure case: what happened and whether it ended as it must.
type CaseRow struct {
	Case      string `json:"case"`
	Outcome   string `json:"outcome"`
	OK        bool   `json:"ok"`
	NotPlayed bool   `json:"notPlayed,omitempty"`
}

// RoutedParty is one role's every wei: the demo's tally (what a wallet spent, a merchant
// received, the hub earned in fees), its gain on chain (payouts and unlocks minus
// deposits; a wallet's is negative), and its account's balance change with its gas.
type RoutedParty struct {
	Party          string `json:"party"`
	Books          string `json:"books"`
	Expected       string `json:"expectedGain"`
	OnChain        string `json:"onChainGain"`
	Gas            string `json:"gas"`
	ExpectedChange string `json:"expectedChange"`
	OnChainChange  string `json:"onChainChange"`
	OK             bool   `json:"ok"`
}
