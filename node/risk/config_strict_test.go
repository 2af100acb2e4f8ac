package risk

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const hashA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

// Issue 22, findings 4, 6 and 12: every one of these used to be accepted, silently
// changing or widening a policy.
func TestConfigRefusesWhatWouldSilentlyChangeAPolicy(t *testing.T) {
	cases := []struct {
		name, json, want string
	}{
		{"typo in a client field", `{"clients":{"w":{"dailyCapp":"10"}}}`, "dailyCapp"},
		{"duplicate client field", `{"clients":{"w":{"dailyCap":"10","dailyCap":"0"}}}`, `duplicate key "dailyCap"`},
		{"duplicate client", `{"clients":{"w":{"dailyCap":"10"},"w":{}}}`, `duplicate key "w"`},
		{"duplicate top-level field", `{"clients":{},"auditCapacity":5,"auditCapacity":6}`, `duplicate key "auditCapacity"`},
		{"trailing content", `{"clients":{}} {"clients":{"w":{}}}`, "trailing content"},
		{"trailing garbage", `{"clients":{}}x`, ""},
		{"negative stepUpScore", `{"clients":{"w":{"stepUpScore":-1}}}`, "negative"},
		{"negative declineScore", `{"clients":{"w":{"declineScore":-5}}}`, "negative"},
		{"negative auditCapacity", `{"clients":{},"auditCapacity":-1}`, "negative"},
		{"challengeTTL of 1ns", `{"clients":{},"challengeTTL":"1ns"}`, "challengeTTL"},
		{"challengeTTL of a week", `{"clients":{},"challengeTTL":"168h"}`, "challengeTTL"},
		{"flushInterval of 1000h", `{"clients":{},"flushInterval":"1000h"}`, "flushInterval"},
		{"admin with a token hash", `{"clients":{"admin":{"tokenHash":"` + hashA + `"}}}`, "reserved"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseConfig(%s) = %v, want an error containing %q", tc.json, err, tc.want)
			}
		})
	}
	if _, err := ParseConfig([]byte(`{"clients":{"w":{"dailyCap":"10","frozen":true}},"challengeTTL":"30s","flushInterval":"50ms"}` + "\n")); err != nil {
		t.Fatalf("a valid config (with a trailing newline) refused: %v", err)
	}
}

// The admin API decodes sluice_setRiskClient's parameter with encoding/json: the client
// config itself must be strict, not only the file's decoder.
func TestClientConfigIsStrictWhereverItIsDecoded(t *testing.T) {
	var c ClientConfig
	if err := json.Unmarshal([]byte(`{"dailyCapp":"10"}`), &c); err == nil || !strings.Contains(err.Error(), "dailyCapp") {
		t.Fatalf("unknown field: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"dailyCap":"10","dailyCap":"0"}`), &c); err == nil {
		t.Fatal("duplicate field accepted")
	}
	var args []ClientConfig
	if err := json.Unmarshal([]byte(`[{"dailyCap":"10"},{"singleMaxx":"1"}]`), &args); err == nil {
		t.Fatal("unknown field inside a parameter list accepted")
	}
	if err := json.Unmarshal([]byte(`{"dailyCap":"10"}`), &c); err != nil || c.DailyCap.Cmp(amt(10)) != 0 {
		t.Fatalf("valid config: %v %+v", err, c)
	}
}

func TestTokenHashNeverNamesTheAdmin(t *testing.T) {
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{"w": {TokenHash: hashA}}}, newFakeClock(), nil)
	if _, err := e.SetClient(context.Background(), AdminClient, ClientConfig{TokenHash: strings.Repeat("b", 64)}); err == nil {
		t.Fatal("SetClient gave the admin client a token hash")
	}
	if name, ok := e.ClientForTokenHash(strings.Repeat("b", 64)); ok {
		t.Fatalf("token hash maps to %q", name)
	}
}

func TestFrozenClientIsDeclinedWhateverTheAmount(t *testing.T) {
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{"w": {Profile: ProfileService}}}, newFakeClock(), nil)
	if d := e.Decide(payReq("w", 1, 1, 5)); d.Outcome != Approve {
		t.Fatalf("before freezing: %s %v", d.Outcome, d.Reasons.Strings())
	}
	if _, err := e.SetClient(context.Background(), "w", ClientConfig{Profile: ProfileService, Frozen: true}); err != nil {
		t.Fatal(err)
	}
	if d := e.Decide(payReq("w", 1, 1, 1)); d.Outcome != Decline || !d.Reasons.Has(ReasonFrozen) {
		t.Fatalf("frozen: %s %v, want decline frozen", d.Outcome, d.Reasons.Strings())
	}
	if _, err := e.SetClient(context.Background(), "w", ClientConfig{Profile: ProfileService}); err != nil {
		t.Fatal(err)
	}
	if d := e.Decide(payReq("w", 1, 1, 1)); d.Outcome != Approve {
		t.Fatalf("thawed: %s %v", d.Outcome, d.Reasons.Strings())
	}
}

// Issue 22, finding 5: a client deleted from risk.json came back from its stored
// override, and nothing could revoke a client at all.
func TestDeletedClientStaysDeletedAcrossRestartsEvenIfTheFileNamesIt(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Clients: map[string]ClientConfig{"w": {Profile: ProfileService, TokenHash: hashA}}}
	st := openStore(t, dir)
	e := newTestEngine(t, cfg, newFakeClock(), st)
	ctx := context.Background()
	if _, err := e.SetClient(ctx, "w", ClientConfig{Profile: ProfileService, TokenHash: hashA, DailyCap: amt(100)}); err != nil {
		t.Fatal(err)
	}
	if err := e.DeleteClient(ctx, "w"); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.ClientForTokenHash(hashA); ok {
		t.Fatal("a deleted client's token still authenticates")
	}
	if d := e.Decide(payReq("w", 1, 1, 1)); d.Outcome != Decline || !d.Reasons.Has(ReasonUnknownClient) {
		t.Fatalf("deleted client: %s %v", d.Outcome, d.Reasons.Strings())
	}
	if err := e.DeleteClient(ctx, "w"); !errors.Is(err, ErrUnknownClient) {
		t.Fatalf("deleting twice: %v", err)
	}
	if err := e.DeleteClient(ctx, AdminClient); err == nil {
		t.Fatal("the admin client was deleted")
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st = openStore(t, dir)
	e = newTestEngine(t, cfg, newFakeClock(), st)
	if _, ok := e.ClientForTokenHash(hashA); ok {
		t.Fatal("after a restart, the file brought the deleted client back")
	}
	if _, err := e.SetClient(ctx, "w", ClientConfig{Profile: ProfileService, TokenHash: hashA}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st = openStore(t, dir)
	defer st.Close()
	e = newTestEngine(t, cfg, newFakeClock(), st)
	if name, ok := e.ClientForTokenHash(hashA); !ok || name != "w" {
		t.Fatalf("re-configured client after a restart: %q %v", name, ok)
	}
}

// Issue 22, finding 5: one token in the file (client a) and in an override (client b) was
// charged to either at random.
func TestOneTokenForTwoClientsAcrossFileAndOverridesIsRefusedAtStart(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	e := newTestEngine(t, Config{Clients: map[string]ClientConfig{}}, newFakeClock(), st)
	if _, err := e.SetClient(context.Background(), "b", ClientConfig{TokenHash: hashA}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st = openStore(t, dir)
	defer st.Close()
	_, err := NewEngine(Options{Config: Config{Clients: map[string]ClientConfig{"a": {TokenHash: hashA}}}, Domain: testDomain(), Store: st})
	if err == nil || !strings.Contains(err.Error(), "same tokenHash") {
		t.Fatalf("start with a duplicated token: %v", err)
	}
}
