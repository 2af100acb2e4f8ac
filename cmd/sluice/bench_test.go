package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestBenchJSONHasTheDocumentedFields(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"sluice", "bench", "--payments", "100", "--concurrency", "8", "--ecdsa-time", "20ms", "--json"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, out.String())
	}
	for _, k := range []string{"payments", "payments_per_second", "latency_ms", "fsyncs_per_payment", "ecdsa_limit_payments_per_second", "ratio", "cpu_us_per_payment", "heap_inuse_bytes", "rss_bytes"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	lat, _ := got["latency_ms"].(map[string]any)
	for _, k := range []string{"p50", "p90", "p99", "max"} {
		if _, ok := lat[k]; !ok {
			t.Errorf("latency_ms lacks %q", k)
		}
	}
	if got["payments"] != float64(100) {
		t.Errorf("payments = %v, want 100", got["payments"])
	}
	if !strings.Contains(errb.String(), "paying 100/100") {
		t.Errorf("no final progress line on stderr:\n%s", errb.String())
	}
}

func TestBenchRejectsBadFlagsAsUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--rate", "-1"},
		{"--channels", "0"},
		{"--payments", "5", "--channels", "6"},
		{"--amount", "0"},
		{"--amount", "0x10"},
		{"--window", "-2"},
		{"extra"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), append([]string{"sluice", "bench"}, args...), &out, &errb); code != exitUsage {
			t.Errorf("bench %v: exit %d, want %d (stderr %q)", args, code, exitUsage, errb.String())
		}
	}
}
