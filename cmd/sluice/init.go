package main

import (
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node/api"
)

const (
	flagDev    = "dev"
	flagKeyHex = "key-hex"
)

type initResult struct {
	Address   common.Address `json:"address"`
	DataDir   string         `json:"datadir"`
	KeyFile   string         `json:"keyFile"`
	Encrypted bool           `json:"encrypted"`
	TokenFile string         `json:"tokenFile"`
	Config    string         `json:"configFile"`
	ScryptN   int            `json:"scryptN,omitempty"` // keystore's scrypt N; 0 for a --dev key
}

func initCommand() *cli.Command {
	return &cli.Command{
		Name:  "init",
		Usage: "create the data directory: node key, API token and default config",
		Description: "Generates a secp256k1 key (or imports --key-hex) into an encrypted keystore file\n" +
			"(scrypt with go-ethereum's standard parameters; password from --password-file or " + passwordEnv + "),\n" +
			"writes <datadir>/api.token (mode 0600) and <datadir>/config.json. --light-kdf uses the light\n" +
			"scrypt parameters and --dev stores the key unencrypted, both for dev chains only.",
		Flags: []cli.Flag{
			passwordFileFlag(),
			lightKDFFlag(),
			&cli.BoolFlag{Name: flagDev, Usage: "store the key unencrypted in <datadir>/node.key (dev chains only)", EnvVars: envVar(flagDev)},
			&cli.StringFlag{Name: flagKeyHex, Usage: "import this private key (64 hex digits, e.g. an Anvil test key) instead of generating one", EnvVars: envVar(flagKeyHex)},
			&cli.StringFlag{Name: flagRPC, Usage: "chain JSON-RPC URL to record in config.json", EnvVars: envVar(flagRPC)},
			&cli.StringFlag{Name: flagContract, Usage: "SluiceChannels address to record in config.json", EnvVars: envVar(flagContract)},
		},
		Action: runInit,
	}
}

func runInit(c *cli.Context) error {
	if err := exactArgs(c); err != nil {
		return err
	}
	dir := dataDir(c)
	dev := c.Bool(flagDev)
	password, havePassword, err := readPassword(c)
	if err != nil {
		return err
	}
	if !dev && !havePassword {
		return usageErrorf("init needs a keystore password: pass --%s or set %s (or --%s for an unencrypted dev key)", flagPassword, passwordEnv, flagDev)
	}
	if !dev && password == "" {
		return usageErrorf("the keystore password is empty; choose one, or use --%s for an unencrypted dev key", flagDev)
	}
	if addr := c.String(flagContract); addr != "" && !common.IsHexAddress(addr) {
		return usageErrorf("--%s %q is not a 0x address", flagContract, addr)
	}
	var key *ecdsa.PrivateKey
	if hexKey := c.String(flagKeyHex); hexKey != "" {
		if key, err = parseKeyHex(hexKey); err != nil {
			return usageErrorf("--%s: %v", flagKeyHex, err)
		}
	} else if key, err = crypto.GenerateKey(); err != nil {
		return fmt.Errorf("generate key: %w", err)
	}

	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	if existing, _, err := findKey(dir); err != nil {
		return err
	} else if existing != "" {
		return fmt.Errorf("%s is already initialised (key %s); choose another --%s", dir, existing, flagDataDir)
	}
	res := initResult{Address: crypto.PubkeyToAddress(key.PublicKey), DataDir: dir, Encrypted: !dev}
	if dev {
		res.KeyFile, err = savePlainKey(dir, key)
	} else {
		res.KeyFile, res.ScryptN, err = saveEncryptedKey(dir, key, password, c.Bool(flagLightKDF))
	}
	if err != nil {
		return err
	}
	if _, err := api.LoadOrCreateToken(dir); err != nil {
		return err
	}
	res.TokenFile = api.TokenPath(dir)
	if res.Config, err = writeDefaultConfig(c, dir); err != nil {
		return err
	}
	return output(c, res, func(w io.Writer) error {
		enc := "encrypted keystore, standard scrypt"
		switch {
		case !res.Encrypted:
			enc = "UNENCRYPTED (dev only)"
		case res.ScryptN < keystore.StandardScryptN:
			enc = "encrypted keystore, LIGHT scrypt (dev only)"
		}
		return keyValues(w, [][2]string{
			{"address", res.Address.Hex()},
			{"key", res.KeyFile + " (" + enc + ")"},
			{"api token", res.TokenFile},
			{"config", res.Config},
		})
	})
}

// writeDefaultConfig writes config.json unless one exists; its keys are flag names, so
// every value can be overridden by a flag or a SLUICE_* variable.
func writeDefaultConfig(c *cli.Context, dir string) (string, error) {
	path := filepath.Join(dir, ConfigFile)
	cfg := map[string]any{
		flagAPI:     c.String(flagAPI),
		flagAPIAddr: defaultAPIAddr,
		flagListen:  []string{defaultListen},
	}
	if v := c.String(flagRPC); v != "" {
		cfg[flagRPC] = v
	}
	if v := c.String(flagContract); v != "" {
		cfg[flagContract] = common.HexToAddress(v).Hex()
	}
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode config: %w", err)
	}
	err = writeFileExclusive(path, append(data, '\n'), 0o600)
	if errors.Is(err, fs.ErrExist) {
		return path, nil // keep the operator's file
	}
	return path, err
}
