// Package risk decides whether an outgoing payment requested through the node's API may be
// signed: velocity limits per API client, per counterparty and per channel over sliding
// windows, a single-payment maximum, a daily cap, and an anomaly score against each
// client's own baseline. Decisions are approve, step_up (the client must sign a challenge
// with its registered device key) or decline, each with machine-readable reasons.
//
// An approved payment's amount is reserved atomically at decision time, so concurrent
// requests cannot overshoot a cap; the caller releases the reservation if the payment
// fails. State (windows, daily spend, baselines, devices, the audit trail) is persisted in
// the store's metadata namespaces with group commit.
//
// The package is pure policy plus state: it imports channel and store of ours and never
// node or node/api, so the API decorator and the daemon depend on it, not the reverse.
package risk
