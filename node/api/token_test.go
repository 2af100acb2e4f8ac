package api

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadOrCreateTokenWritesPrivateFileOnceAndReusesIt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	first, err := LoadOrCreateToken(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 64 {
		t.Fatalf("token %d chars, want 64", len(first))
	}
	info, err := os.Stat(TokenPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("api.token mode %04o, want 0600", perm)
	}
	second, err := LoadOrCreateToken(dir)
	if err != nil {
		t.Fatal(err)
	}
	if second != first {
		t.Fatal("second LoadOrCreateToken returned a different token")
	}
	read, err := ReadToken(TokenPath(dir))
	if err != nil || read != first {
		t.Fatalf("ReadToken = %q, %v", read, err)
	}
}

func TestLoadOrCreateTokenRefusesWorldReadableFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadOrCreateToken(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(TokenPath(dir), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadOrCreateToken(dir)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("err = %v, want advice to chmod 600", err)
	}
}

func TestReadTokenRejectsMalformedContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "api.token")
	for _, content := range []string{"", "short", strings.Repeat("z", 64)} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadToken(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("ReadToken(%q) err = %v, want an error naming the file", content, err)
		}
	}
}

func TestBearerAuthAcceptsOnlyTheExactToken(t *testing.T) {
	token := strings.Repeat("ab", 32)
	auth := newBearerAuth(token)
	tests := []struct {
		header string
		want   bool
	}{
		{"Bearer " + token, true},
		{"bearer " + token, true},
		{"", false},
		{"Bearer", false},
		{"Basic " + token, false},
		{"Bearer " + token[:63], false},
		{"Bearer " + strings.Repeat("cd", 32), false},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/", nil)
		if tt.header != "" {
			r.Header.Set("Authorization", tt.header)
		}
		if got := auth.allowed(r); got != tt.want {
			t.Errorf("allowed(%q) = %v, want %v", truncate(tt.header), got, tt.want)
		}
	}
}
