package api

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// TokenFile is the name of the bearer token file inside the data directory.
const TokenFile = "api.token"

// tokenBytes is the token's entropy: 32 random bytes, written as 64 hex digits.
const tokenBytes = 32

// TokenPath returns where the node keeps its API token.
func TokenPath(datadir string) string { return filepath.Join(datadir, TokenFile) }

// LoadOrCreateToken returns the token in <datadir>/api.token, creating the file with a
// fresh random token (mode 0600) when it does not exist. An existing file that others can
// read is refused: anyone who can read it can spend from this node's channels.
func LoadOrCreateToken(datadir string) (string, error) {
	if err := os.MkdirAll(datadir, 0o700); err != nil {
		return "", fmt.Errorf("create data directory %s: %w", datadir, err)
	}
	path := TokenPath(datadir)
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("generate API token: %w", err)
	}
	token := hex.EncodeToString(raw)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case errors.Is(err, fs.ErrExist):
		return readTokenChecked(path)
	case err != nil:
		return "", fmt.Errorf("create API token file %s: %w", path, err)
	}
	if _, err := f.WriteString(token + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("write API token file %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", fmt.Errorf("sync API token file %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("close API token file %s: %w", path, err)
	}
	return token, nil
}

func readTokenChecked(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("API token file %s: %w", path, err)
	}
	if err := CheckPrivateFile("API token file", path, info); err != nil {
		return "", err
	}
	return ReadToken(path)
}

// ReadToken reads a token file as written by LoadOrCreateToken.
func ReadToken(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read API token %s: %w", path, err)
	}
	token := strings.TrimSpace(string(data))
	if err := validateToken(token); err != nil {
		return "", fmt.Errorf("API token file %s: %w", path, err)
	}
	return token, nil
}

func validateToken(token string) error {
	if len(token) != 2*tokenBytes {
		return fmt.Errorf("token has %d characters, want %d hex digits", len(token), 2*tokenBytes)
	}
	if _, err := hex.DecodeString(token); err != nil {
		return errors.New("token is not hex")
	}
	return nil
}

// bearerAuth admits a request only with "Authorization: Bearer <token>". Both sides are
// hashed before the constant-time compare so that not even the token's length leaks
// through timing.
type bearerAuth struct {
	want [sha256.Size]byte
}

func newBearerAuth(token string) bearerAuth {
	return bearerAuth{want: sha256.Sum256([]byte(token))}
}

func (a bearerAuth) allowed(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return subtle.ConstantTimeCompare(got[:], a.want[:]) == 1
}
