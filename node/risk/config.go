package risk

import (
	"fmt"
	"regexp"
	"time"
)

// Profile is the kind of client, which sets the defaults of its baseline rules.
type Profile string

const (
	// ProfileInteractive is a person's wallet: payments seconds apart; bursts milliseconds
	// apart are a script holding a stolen token.
	ProfileInteractive Profile = "interactive"
	// ProfileService is a server paying per event, thousands per second, within its caps.
	ProfileService Profile = "service"
)

// WindowLimit bounds one sliding window; zero fields are unlimited.
type WindowLimit struct {
	Count  uint64 `json:"count,omitempty"`
	Amount Amount `json:"amount,omitzero"`
}

// Limits bound the four sliding windows of one entity.
type Limits struct {
	PerSecond WindowLimit `json:"1s,omitzero"`
	PerMinute WindowLimit `json:"1m,omitzero"`
	PerHour   WindowLimit `json:"1h,omitzero"`
	PerDay    WindowLimit `json:"24h,omitzero"`
}

func (l *Limits) window(w Window) WindowLimit {
	switch w {
	case Window1s:
		return l.PerSecond
	case Window1m:
		return l.PerMinute
	case Window1h:
		return l.PerHour
	default:
		return l.PerDay
	}
}

// ClientConfig is the policy of one API client.
type ClientConfig struct {
	Profile Profile `json:"profile"`
	// TokenHash is the hex SHA-256 of the client's bearer token; the API layer maps a
	// request's token to the client through it. The node's own api.token is "admin".
	TokenHash string `json:"tokenHash,omitempty"`
	Limits    Limits `json:"limits,omitzero"`
	SingleMax Amount `json:"singleMax,omitzero"` // largest single payment; 0 = no limit
	DailyCap  Amount `json:"dailyCap,omitzero"`  // per UTC day; 0 = no cap
	// StepUpAbove asks for the device signature on any single payment above it.
	StepUpAbove Amount `json:"stepUpAbove,omitzero"`
	// StepUpScore and DeclineScore are anomaly score thresholds (0 = profile default).
	StepUpScore  int `json:"stepUpScore,omitempty"`
	DeclineScore int `json:"declineScore,omitempty"`
	// MinHumanGap is the shortest gap between payments a person produces; three payments
	// closer than that are a burst (interactive only; 0 = 250 ms).
	MinHumanGap Duration `json:"minHumanGap,omitzero"`
	// Frozen declines every payment of the client (reason "frozen") while keeping its
	// state and audit trail: a cap of 0 means unlimited, so freezing needs its own switch.
	Frozen bool `json:"frozen,omitempty"`
	// Scope limits the channels the client may pay on and the payments it may read
	// (default: any channel; only its own payments).
	Scope Scope `json:"scope,omitzero"`
}

// UnmarshalJSON decodes strictly wherever a ClientConfig comes from (the admin API's
// parameters included): unknown fields, duplicate keys and trailing content are errors.
func (c *ClientConfig) UnmarshalJSON(data []byte) error {
	type plain ClientConfig
	var p plain
	if err := decodeStrict(data, &p); err != nil {
		return fmt.Errorf("risk client config: %w", err)
	}
	*c = ClientConfig(p)
	return nil
}

// Config is the whole policy: clients by name plus node-wide limits per counterparty and
// per channel, which hold across clients.
type Config struct {
	Clients      map[string]ClientConfig `json:"clients"`
	Counterparty Limits                  `json:"counterparty,omitzero"`
	Channel      Limits                  `json:"channel,omitzero"`
	// ChallengeTTL is how long a step-up challenge can be answered (0 = 2 min).
	ChallengeTTL Duration `json:"challengeTTL,omitzero"`
	// AuditCapacity is how many decisions the audit trail keeps (0 = 10000).
	AuditCapacity int `json:"auditCapacity,omitempty"`
	// FlushInterval is how often dirty state is group-committed (0 = 100 ms).
	FlushInterval Duration `json:"flushInterval,omitzero"`
	// DurableReservations makes every approval durable before the node signs (one shared
	// fsync per group of concurrent approvals), closing the crash window of FlushInterval.
	DurableReservations bool `json:"durableReservations,omitempty"`
}

// AdminClient is the client name of the node's own api.token. It is subject to policy
// like any client when configured; unconfigured, it is unlimited.
const AdminClient = "admin"

// Duration is a time.Duration written as "250ms", "2m" in JSON.
type Duration time.Duration

func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: %w", b, err)
	}
	if v < 0 {
		return fmt.Errorf("duration %q is negative", b)
	}
	*d = Duration(v)
	return nil
}

// Defaults, by profile. Interactive defaults describe a person; service defaults only
// bound the rate, because a service's cadence is machine-made by design.
const (
	defaultChallengeTTL  = 2 * time.Minute
	defaultAuditCapacity = 10000
	defaultFlushInterval = 100 * time.Millisecond
	defaultMinHumanGap   = 250 * time.Millisecond
	defaultStepUpScore   = 50
	defaultDeclineScore  = 100
)

// Compiled patterns are immutable; sharing them is not shared mutable state.
var (
	clientNamePattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$`)
	tokenHashPattern  = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// ValidClientName reports whether name can name a client (it appears in store keys).
func ValidClientName(name string) bool { return clientNamePattern.MatchString(name) }

// normalized checks one client's configuration and fills its profile defaults.
func (c ClientConfig) normalized(name string) (ClientConfig, error) {
	if !ValidClientName(name) {
		return c, fmt.Errorf("risk client name %q: want 1-64 of [a-zA-Z0-9_.-]", name)
	}
	// "admin" is the node's api.token and nothing else; a tokenHash under that name would
	// hand a second token the admin's rights.
	if name == AdminClient && c.TokenHash != "" {
		return c, fmt.Errorf("risk client %q is reserved for the node's api.token: it takes no tokenHash", name)
	}
	if c.StepUpScore < 0 || c.DeclineScore < 0 {
		return c, fmt.Errorf("risk client %s: stepUpScore and declineScore must not be negative (0 = profile default)", name)
	}
	switch c.Profile {
	case "":
		c.Profile = ProfileInteractive
	case ProfileInteractive, ProfileService:
	default:
		return c, fmt.Errorf("risk client %s: profile %q is not interactive or service", name, c.Profile)
	}
	if c.TokenHash != "" && !tokenHashPattern.MatchString(c.TokenHash) {
		return c, fmt.Errorf("risk client %s: tokenHash must be 64 lowercase hex digits (sha256 of the token)", name)
	}
	if c.StepUpScore <= 0 {
		c.StepUpScore = defaultStepUpScore
	}
	if c.DeclineScore <= 0 {
		c.DeclineScore = defaultDeclineScore
	}
	if c.DeclineScore < c.StepUpScore {
		return c, fmt.Errorf("risk client %s: declineScore %d is below stepUpScore %d", name, c.DeclineScore, c.StepUpScore)
	}
	if c.MinHumanGap == 0 {
		c.MinHumanGap = Duration(defaultMinHumanGap)
	}
	sc, err := c.Scope.normalized(name)
	if err != nil {
		return c, err
	}
	c.Scope = sc
	return c, nil
}

func (c Config) normalized() (Config, error) {
	out := c
	out.Clients = make(map[string]ClientConfig, len(c.Clients))
	for name, cc := range c.Clients {
		n, err := cc.normalized(name)
		if err != nil {
			return c, err
		}
		out.Clients[name] = n
	}
	if err := out.checkTokenHashes(); err != nil {
		return c, err
	}
	if c.AuditCapacity < 0 {
		return c, fmt.Errorf("risk config: auditCapacity %d is negative (0 = %d)", c.AuditCapacity, defaultAuditCapacity)
	}
	if out.ChallengeTTL == 0 {
		out.ChallengeTTL = Duration(defaultChallengeTTL)
	}
	if out.AuditCapacity == 0 {
		out.AuditCapacity = defaultAuditCapacity
	}
	if out.FlushInterval == 0 {
		out.FlushInterval = Duration(defaultFlushInterval)
	}
	for _, b := range []struct {
		name     string
		v        Duration
		min, max time.Duration
	}{
		{"challengeTTL", out.ChallengeTTL, minChallengeTTL, maxChallengeTTL},
		{"flushInterval", out.FlushInterval, minFlushInterval, maxFlushInterval},
	} {
		if d := time.Duration(b.v); d < b.min || d > b.max {
			return c, fmt.Errorf("risk config: %s %s outside [%s, %s]", b.name, d, b.min, b.max)
		}
	}
	return out, nil
}

// Bounds of the engine-wide durations: a challenge nobody can answer in time, or one that
// stays open for days, and a flush so rare that a crash forgets hours, are mistakes.
const (
	minChallengeTTL  = 5 * time.Second
	maxChallengeTTL  = time.Hour
	minFlushInterval = time.Millisecond
	maxFlushInterval = 10 * time.Second
)

// ParseConfig decodes a JSON policy strictly (unknown fields, duplicate keys and trailing
// content are errors), so a typo cannot silently drop a limit.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	if err := decodeStrict(data, &c); err != nil {
		return Config{}, fmt.Errorf("risk config: %w", err)
	}
	return c.normalized()
}

// checkTokenHashes refuses two clients with one token: the API could not tell them apart.
func (c Config) checkTokenHashes() error {
	seen := make(map[string]string, len(c.Clients))
	for name, cc := range c.Clients {
		if cc.TokenHash == "" {
			continue
		}
		if other, dup := seen[cc.TokenHash]; dup {
			return fmt.Errorf("risk clients %s and %s have the same tokenHash", min(name, other), max(name, other))
		}
		seen[cc.TokenHash] = name
	}
	return nil
}
