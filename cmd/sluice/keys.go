package main

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node/api"
)

// Where init puts the node key inside the data directory: an encrypted go-ethereum
// keystore file under keystore/, or (with --dev only) a plain hex key in node.key.
const (
	keystoreDirName = "keystore"
	plainKeyFile    = "node.key"
	passwordEnv     = "SLUICE_PASSWORD"
	flagPassword    = "password-file"
	flagLightKDF    = "light-kdf"
)

func passwordFileFlag() cli.Flag {
	return &cli.StringFlag{Name: flagPassword, Usage: "file holding the keystore password (or set " + passwordEnv + ")", EnvVars: envVar(flagPassword)}
}

func lightKDFFlag() cli.Flag {
	return &cli.BoolFlag{Name: flagLightKDF, Usage: "encrypt the key with go-ethereum's light scrypt parameters (fast to unlock, and as cheap to brute-force: dev chains only)", EnvVars: envVar(flagLightKDF)}
}

// readPassword returns the keystore password from --password-file or SLUICE_PASSWORD.
// ok is false when neither is given. SLUICE_PASSWORD is removed from the environment
// either way.
func readPassword(c *cli.Context) (password string, ok bool, err error) {
	envPassword, envSet, err := takePasswordEnv()
	if err != nil {
		return "", false, err
	}
	if path := c.String(flagPassword); path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return "", false, fmt.Errorf("read password file: %w", err)
		}
		// Editors add a trailing newline; a password never ends in one on purpose.
		return strings.TrimRight(string(data), "\r\n"), true, nil
	}
	return envPassword, envSet, nil
}

// takePasswordEnv reads SLUICE_PASSWORD and unsets it, so that no child process, crash
// report or later environment dump sees it. It cannot scrub /proc/<pid>/environ, which
// shows the environment the process was started with: --password-file is the safer way.
func takePasswordEnv() (password string, set bool, err error) {
	password, set = os.LookupEnv(passwordEnv)
	if !set {
		return "", false, nil
	}
	if err := os.Unsetenv(passwordEnv); err != nil {
		return "", false, fmt.Errorf("unset %s: %w", passwordEnv, err)
	}
	return password, true, nil
}

// parseKeyHex reads a secp256k1 private key written as 64 hex digits, 0x optional.
func parseKeyHex(s string) (*ecdsa.PrivateKey, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "0x"), "0X")
	if len(s) != 64 {
		return nil, fmt.Errorf("private key has %d hex digits, want 64", len(s))
	}
	key, err := crypto.HexToECDSA(s)
	if err != nil {
		return nil, fmt.Errorf("private key is not a valid secp256k1 key: %w", err)
	}
	return key, nil
}

// findKey reports the key file a data directory already holds, if any.
func findKey(datadir string) (path string, encrypted bool, err error) {
	plain := filepath.Join(datadir, plainKeyFile)
	if _, err := os.Stat(plain); err == nil {
		return plain, false, nil
	}
	entries, err := os.ReadDir(filepath.Join(datadir, keystoreDirName))
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read keystore: %w", err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			files = append(files, filepath.Join(datadir, keystoreDirName, e.Name()))
		}
	}
	switch len(files) {
	case 0:
		return "", false, nil
	case 1:
		return files[0], true, nil
	default:
		return "", false, fmt.Errorf("keystore %s holds %d key files; a node uses exactly one", filepath.Join(datadir, keystoreDirName), len(files))
	}
}

// saveEncryptedKey writes key as a go-ethereum keystore v3 file. The key controls funds, so
// scrypt gets go-ethereum's standard parameters (about a second and 256 MiB per unlock, once
// per node start); light (4 MiB and ~0.1 s per guess for an attacker too) only on opt-in.
// It returns the file and the scrypt N used.
func saveEncryptedKey(datadir string, key *ecdsa.PrivateKey, password string, light bool) (string, int, error) {
	dir := filepath.Join(datadir, keystoreDirName)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", 0, fmt.Errorf("create keystore directory: %w", err)
	}
	k := &keystore.Key{Address: crypto.PubkeyToAddress(key.PublicKey), PrivateKey: key}
	if _, err := rand.Read(k.Id[:]); err != nil {
		return "", 0, fmt.Errorf("key id: %w", err)
	}
	k.Id[6] = (k.Id[6] & 0x0f) | 0x40 // RFC 4122 version 4
	k.Id[8] = (k.Id[8] & 0x3f) | 0x80
	n, p := keystore.StandardScryptN, keystore.StandardScryptP
	if light {
		n, p = keystore.LightScryptN, keystore.LightScryptP
	}
	blob, err := keystore.EncryptKey(k, password, n, p)
	if err != nil {
		return "", 0, fmt.Errorf("encrypt key: %w", err)
	}
	name := fmt.Sprintf("UTC--%s--%x", time.Now().UTC().Format("2006-01-02T15-04-05.000000000Z"), k.Address[:])
	path := filepath.Join(dir, name)
	if err := writeFileExclusive(path, blob, 0o600); err != nil {
		return "", 0, err
	}
	return path, n, nil
}

// savePlainKey writes key as hex, for --dev data directories only.
func savePlainKey(datadir string, key *ecdsa.PrivateKey) (string, error) {
	path := filepath.Join(datadir, plainKeyFile)
	if err := writeFileExclusive(path, []byte(hex.EncodeToString(crypto.FromECDSA(key))+"\n"), 0o600); err != nil {
		return "", err
	}
	return path, nil
}

// loadKey reads the data directory's key, decrypting a keystore file with the password
// from --password-file or SLUICE_PASSWORD. A key file other users can access is refused, as
// the API token is. A keystore with light scrypt parameters loads with a warning on stderr.
func loadKey(c *cli.Context, datadir string) (*ecdsa.PrivateKey, error) {
	path, encrypted, err := findKey(datadir)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return nil, fmt.Errorf("no node key in %s: run 'sluice --datadir %s init' first", datadir, datadir)
	}
	data, err := readPrivateFile("key file", path)
	if err != nil {
		return nil, err
	}
	if !encrypted {
		// A plain dev key needs no password; the variable must not linger all the same.
		if _, _, err := takePasswordEnv(); err != nil {
			return nil, err
		}
		key, err := parseKeyHex(string(data))
		if err != nil {
			return nil, fmt.Errorf("key file %s: %w", path, err)
		}
		return key, nil
	}
	password, ok, err := readPassword(c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, usageErrorf("the key in %s is encrypted: pass --%s or set %s", path, flagPassword, passwordEnv)
	}
	k, err := keystore.DecryptKey(data, password)
	if err != nil {
		return nil, fmt.Errorf("decrypt key %s: %w", path, err)
	}
	if n, light := lightScryptN(data); light {
		fmt.Fprintf(c.App.ErrWriter, "sluice: warning: key file %s uses light scrypt parameters (n=%d), far cheaper to brute-force than standard; "+
			"fine on a dev chain, re-encrypt it before it holds real funds (docs/cli.md)\n", path, n)
	}
	return k.PrivateKey, nil
}

// readPrivateFile reads a secret file after checking, on the open descriptor, that no other
// user has access to it.
func readPrivateFile(what, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s %s: %w", what, path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat %s %s: %w", what, path, err)
	}
	if err := api.CheckPrivateFile(what, path, info); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", what, path, err)
	}
	return data, nil
}

// lightScryptN reports a keystore blob whose scrypt N is below go-ethereum's standard: the
// light parameters of older Sluice versions or of --light-kdf.
func lightScryptN(blob []byte) (n int, light bool) {
	var f struct {
		Crypto struct {
			KDF       string `json:"kdf"`
			KDFParams struct {
				N int `json:"n"`
			} `json:"kdfparams"`
		} `json:"crypto"`
	}
	if err := json.Unmarshal(blob, &f); err != nil || f.Crypto.KDF != "scrypt" {
		return 0, false
	}
	return f.Crypto.KDFParams.N, f.Crypto.KDFParams.N < keystore.StandardScryptN
}

func writeFileExclusive(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}
