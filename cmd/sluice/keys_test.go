package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"
)

// keyFileKDF reads crypto.kdfparams.{n,p} from a keystore v3 file.
func keyFileKDF(t *testing.T, path string) (n, p int) {
	t.Helper()
	blob, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Crypto struct {
			KDF       string `json:"kdf"`
			KDFParams struct {
				N int `json:"n"`
				P int `json:"p"`
			} `json:"kdfparams"`
		} `json:"crypto"`
	}
	if err := json.Unmarshal(blob, &f); err != nil {
		t.Fatalf("key file %s: %v", path, err)
	}
	if f.Crypto.KDF != "scrypt" {
		t.Fatalf("key file %s uses kdf %q, want scrypt", path, f.Crypto.KDF)
	}
	return f.Crypto.KDFParams.N, f.Crypto.KDFParams.P
}

// initLightKey runs `sluice init --light-kdf` with the password in a file and returns the
// data directory and the key file. Every test that decrypts a key uses light parameters: the
// standard ones cost about a second and 256 MiB per decrypt.
func initLightKey(t *testing.T, password string) (dir, keyFile, pwFile string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "node")
	pwFile = filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte(password), 0o600); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, cliEnv(t), "--datadir", dir, "--json", "init", "--light-kdf", "--password-file", pwFile, "--key-hex", anvilKey0)
	if res.code != exitOK {
		t.Fatalf("init --light-kdf: %d %s", res.code, res.stderr)
	}
	var out initResult
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
		t.Fatalf("init output %q: %v", res.stdout, err)
	}
	return dir, out.KeyFile, pwFile
}

// loadKeyInProcess calls loadKey the way a command does, with args as the command's flags.
func loadKeyInProcess(t *testing.T, datadir string, args ...string) (*ecdsa.PrivateKey, string, error) {
	t.Helper()
	var (
		key    *ecdsa.PrivateKey
		loadEr error
		stderr strings.Builder
	)
	app := &cli.App{
		Name: "t", Writer: io.Discard, ErrWriter: &stderr,
		ExitErrHandler: func(*cli.Context, error) {},
		Commands: []*cli.Command{{
			Name:  "load",
			Flags: []cli.Flag{passwordFileFlag()},
			Action: func(c *cli.Context) error {
				key, loadEr = loadKey(c, datadir)
				return nil
			},
		}},
	}
	if err := app.RunContext(context.Background(), append([]string{"t", "load"}, args...)); err != nil {
		t.Fatalf("run: %v", err)
	}
	return key, stderr.String(), loadEr
}

func TestInitEncryptsWithStandardScryptUnlessLightKDFIsChosen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		env          []string
		args         []string
		wantN, wantP int
	}{
		{"default is standard", nil, nil, keystore.StandardScryptN, keystore.StandardScryptP},
		{"flag opts into light", nil, []string{"--light-kdf"}, keystore.LightScryptN, keystore.LightScryptP},
		{"env opts into light", []string{"SLUICE_LIGHT_KDF=true"}, nil, keystore.LightScryptN, keystore.LightScryptP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "node")
			env := cliEnv(t, append([]string{"SLUICE_PASSWORD=pw"}, tt.env...)...)
			args := append([]string{"--datadir", dir, "--json", "init"}, tt.args...)
			// Standard scrypt takes about a second in a normal build and over half a
			// minute in a -race binary on a loaded machine.
			res := runCLIWithin(t, 5*time.Minute, env, args...)
			if res.code != exitOK {
				t.Fatalf("init: %d %s", res.code, res.stderr)
			}
			var out initResult
			if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
				t.Fatalf("init output %q: %v", res.stdout, err)
			}
			if n, p := keyFileKDF(t, out.KeyFile); n != tt.wantN || p != tt.wantP {
				t.Fatalf("scrypt n=%d p=%d, want n=%d p=%d", n, p, tt.wantN, tt.wantP)
			}
			if out.ScryptN != tt.wantN {
				t.Fatalf("init reports scryptN %d, want %d", out.ScryptN, tt.wantN)
			}
		})
	}
}

func TestLoadKeyRefusesKeyFileOtherUsersCanAccess(t *testing.T) {
	t.Parallel()
	encDir, encFile, pwFile := initLightKey(t, "pw")
	plainDir := filepath.Join(t.TempDir(), "dev")
	if res := runCLI(t, cliEnv(t), "--datadir", plainDir, "init", "--dev", "--key-hex", anvilKey0); res.code != exitOK {
		t.Fatalf("init --dev: %d %s", res.code, res.stderr)
	}
	plainFile := filepath.Join(plainDir, plainKeyFile)
	keys := []struct {
		kind, dir, file string
	}{
		{"keystore", encDir, encFile},
		{"plain dev key", plainDir, plainFile},
	}
	tests := []struct {
		mode    os.FileMode
		refused bool
	}{
		{0o600, false},
		{0o400, false},
		{0o644, true},
		{0o640, true},
		{0o604, true},
		{0o620, true},
		{0o601, true},
		{0o610, true},
	}
	for _, k := range keys {
		for _, tt := range tests {
			if err := os.Chmod(k.file, tt.mode); err != nil {
				t.Fatal(err)
			}
			key, _, err := loadKeyInProcess(t, k.dir, "--password-file", pwFile)
			if !tt.refused {
				if err != nil || crypto.PubkeyToAddress(key.PublicKey).Hex() != anvilAddr0 {
					t.Errorf("%s mode %04o: key %v, err %v; want it loaded", k.kind, tt.mode, key != nil, err)
				}
				continue
			}
			if err == nil {
				t.Errorf("%s mode %04o: loaded, want refused", k.kind, tt.mode)
				continue
			}
			for _, want := range []string{k.file, fmt.Sprintf("%04o", tt.mode), "chmod 600 " + k.file} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s mode %04o: error %q does not say %q", k.kind, tt.mode, err, want)
				}
			}
		}
		if err := os.Chmod(k.file, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNodeWithGroupReadableKeyExitsWithClearError(t *testing.T) {
	t.Parallel()
	dir, keyFile, pwFile := initLightKey(t, "pw")
	if err := os.Chmod(keyFile, 0o640); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, cliEnv(t), "--datadir", dir, "node", "--password-file", pwFile,
		"--rpc", "http://127.0.0.1:1", "--contract", anvilAddr0)
	if res.code != exitFailure {
		t.Fatalf("exit %d, want %d (stderr %q)", res.code, exitFailure, res.stderr)
	}
	for _, want := range []string{keyFile, "0640", "chmod 600 " + keyFile} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr %q does not say %q", res.stderr, want)
		}
	}
}

// Not parallel: it sets the process environment.
func TestPasswordEnvIsRemovedFromEnvironmentOnceRead(t *testing.T) {
	dir, _, pwFile := initLightKey(t, "pw")
	plainDir := filepath.Join(t.TempDir(), "dev")
	if res := runCLI(t, cliEnv(t), "--datadir", plainDir, "init", "--dev", "--key-hex", anvilKey0); res.code != exitOK {
		t.Fatalf("init --dev: %d %s", res.code, res.stderr)
	}
	tests := []struct {
		name string
		dir  string
		args []string
	}{
		{"keystore unlocked from the variable", dir, nil},
		{"keystore unlocked from the file while the variable is set", dir, []string{"--password-file", pwFile}},
		{"plain dev key needs no password", plainDir, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(passwordEnv, "pw")
			key, _, err := loadKeyInProcess(t, tt.dir, tt.args...)
			if err != nil || key == nil {
				t.Fatalf("loadKey: %v", err)
			}
			assertPasswordEnvGone(t)
		})
	}
	t.Run("init", func(t *testing.T) {
		t.Setenv(passwordEnv, "pw")
		args := []string{"sluice", "--datadir", filepath.Join(t.TempDir(), "n"), "init", "--light-kdf"}
		if code := run(context.Background(), args, io.Discard, io.Discard); code != exitOK {
			t.Fatalf("init exit %d", code)
		}
		assertPasswordEnvGone(t)
	})
}

func assertPasswordEnvGone(t *testing.T) {
	t.Helper()
	if _, set := os.LookupEnv(passwordEnv); set {
		t.Fatalf("%s is still set", passwordEnv)
	}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, passwordEnv+"=") {
			t.Fatalf("os.Environ still holds %s", passwordEnv)
		}
	}
}

func TestLoadKeyWarnsOnlyAboutLightScryptKeys(t *testing.T) {
	t.Parallel()
	dir, keyFile, pwFile := initLightKey(t, "pw")
	_, stderr, err := loadKeyInProcess(t, dir, "--password-file", pwFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "light scrypt") || !strings.Contains(stderr, keyFile) {
		t.Fatalf("loading a light key printed %q, want a warning naming %s", stderr, keyFile)
	}
	tests := []struct {
		name      string
		blob      string
		wantLight bool
	}{
		{"light", `{"crypto":{"kdf":"scrypt","kdfparams":{"n":4096,"p":6}}}`, true},
		{"standard", `{"crypto":{"kdf":"scrypt","kdfparams":{"n":262144,"p":1}}}`, false},
		{"stronger than standard", `{"crypto":{"kdf":"scrypt","kdfparams":{"n":1048576,"p":1}}}`, false},
		{"pbkdf2", `{"crypto":{"kdf":"pbkdf2","kdfparams":{"c":262144}}}`, false},
		{"not json", `nope`, false},
	}
	for _, tt := range tests {
		if _, light := lightScryptN([]byte(tt.blob)); light != tt.wantLight {
			t.Errorf("%s: light = %v, want %v", tt.name, light, tt.wantLight)
		}
	}
}
