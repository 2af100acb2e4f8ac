package contracts_test

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/contracts/devchain"
)

func TestHashViewsEqualTypedDataDigests(t *testing.T) {
	e := newEVM(t)
	id := [32]byte{0xde, 0xad, 0xbe, 0xef, 31: 0x01}
	maxU128 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	maxU256 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	participant := e.accounts[3].Address

	domain := crypto.Keccak256(
		crypto.Keccak256([]byte("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")),
		crypto.Keccak256([]byte("Sluice")), crypto.Keccak256([]byte("1")),
		common.LeftPadBytes(e.chainID.Bytes(), 32), common.LeftPadBytes(e.channels.Bytes(), 32))
	gotDomain, err := e.sc.UnpackDomainSeparator(e.call(e.channels, e.sc.PackDomainSeparator()))
	if err != nil || !bytes.Equal(gotDomain[:], domain) {
		t.Fatalf("domainSeparator() = %x (%v), want %x", gotDomain, err, domain)
	}

	cases := []struct {
		name     string
		contract func() ([32]byte, error)
		want     []byte
	}{
		{"balance proof", func() ([32]byte, error) {
			return e.sc.UnpackHashBalanceProof(e.call(e.channels, e.sc.PackHashBalanceProof(id, 7, big.NewInt(12345), new(big.Int), [32]byte{})))
		}, e.proofDigest(id, 7, big.NewInt(12345))},
		{"balance proof at max values", func() ([32]byte, error) {
			return e.sc.UnpackHashBalanceProof(e.call(e.channels, e.sc.PackHashBalanceProof(id, ^uint64(0), maxU256, new(big.Int), [32]byte{})))
		}, e.proofDigest(id, ^uint64(0), maxU256)},
		{"endorsement", func() ([32]byte, error) {
			return e.sc.UnpackHashEndorsement(e.call(e.channels, e.sc.PackHashEndorsement(id, 7, big.NewInt(12345), new(big.Int), [32]byte{})))
		}, e.endorsementDigest(id, 7, big.NewInt(12345))},
		{"endorsement at max values", func() ([32]byte, error) {
			return e.sc.UnpackHashEndorsement(e.call(e.channels, e.sc.PackHashEndorsement(id, ^uint64(0), maxU256, new(big.Int), [32]byte{})))
		}, e.endorsementDigest(id, ^uint64(0), maxU256)},
		{"settlement", func() ([32]byte, error) {
			return e.sc.UnpackHashSettlement(e.call(e.channels, e.sc.PackHashSettlement(id, eth(3), maxU128)))
		}, e.settlementDigest(id, eth(3), maxU128)},
		{"settlement of zeros", func() ([32]byte, error) {
			return e.sc.UnpackHashSettlement(e.call(e.channels, e.sc.PackHashSettlement([32]byte{}, new(big.Int), new(big.Int))))
		}, e.settlementDigest([32]byte{}, new(big.Int), new(big.Int))},
		{"withdrawal", func() ([32]byte, error) {
			return e.sc.UnpackHashWithdrawal(e.call(e.channels, e.sc.PackHashWithdrawal(id, participant, eth(1), 1_900_000_000)))
		}, e.withdrawalDigest(id, participant, eth(1), 1_900_000_000)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.contract()
			if err != nil {
				t.Fatalf("unpack: %v", err)
			}
			if !bytes.Equal(got[:], tc.want) {
				t.Fatalf("contract digest %x, go-ethereum apitypes digest %x", got, tc.want)
			}
		})
	}
}

func TestOpenETHRecordsChannelAndEmitsOpened(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	before := e.balance(e.channels)

	rec := e.mustSend(a, e.channels, eth(2), e.sc.PackOpen(b.Address, common.Address{}, eth(2), 600))
	ev := findEvent(t, rec, e.sc.UnpackChannelOpenedEvent)

	// The first channel on a fresh contract uses counter 1.
	wantID := crypto.Keccak256Hash(
		common.LeftPadBytes(e.chainID.Bytes(), 32), common.LeftPadBytes(e.channels.Bytes(), 32),
		common.LeftPadBytes(a.Address.Bytes(), 32), common.LeftPadBytes(b.Address.Bytes(), 32),
		make([]byte, 32), common.LeftPadBytes([]byte{1}, 32))
	if ev.Id != wantID {
		t.Fatalf("channel id %x, want keccak(chainid, contract, a, b, token, 1) = %x", ev.Id, wantID)
	}
	if ev.A != a.Address || ev.B != b.Address || ev.Token != (common.Address{}) || ev.ChallengePeriod != 600 {
		t.Fatalf("ChannelOpened = %+v", ev)
	}
	wantBig(t, "event deposit", ev.Deposit, eth(2))
	v := e.view(ev.Id)
	if v.A != a.Address || v.B != b.Address || v.Status != 1 || v.ChallengePeriod != 600 || v.SettleAfter != 0 {
		t.Fatalf("channel view after open = %+v", v)
	}
	wantBig(t, "depositA", v.DepositA, eth(2))
	wantBig(t, "depositB", v.DepositB, new(big.Int))
	wantBig(t, "contract balance", e.balance(e.channels), new(big.Int).Add(before, eth(2)))

	second := e.openETH(a, b.Address, eth(1), 600)
	if second == ev.Id {
		t.Fatal("a second channel between the same parties reused the id")
	}
}

func TestOpenWithoutDepositLeavesPartnerToFund(t *testing.T) {
	e := newEVM(t)
	id := e.openETH(e.accounts[1], e.accounts[2].Address, new(big.Int), 60)
	v := e.view(id)
	if v.Status != 1 || v.DepositA.Sign() != 0 {
		t.Fatalf("view after empty open = %+v", v)
	}
}

func TestOpenRejectsInvalidRequests(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	token := e.deployToken([]devchain.Account{a}, eth(10))
	e.approve(a, token, eth(10))
	noCode := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	tooLarge := new(big.Int).Lsh(big.NewInt(1), 128)

	cases := []struct {
		name    string
		partner common.Address
		token   common.Address
		amount  *big.Int
		value   *big.Int
		period  uint64
		want    string
	}{
		{"zero partner", common.Address{}, common.Address{}, eth(1), eth(1), 60, "InvalidPartner"},
		{"self as partner", a.Address, common.Address{}, eth(1), eth(1), 60, "InvalidPartner"},
		{"escrow as partner", e.channels, common.Address{}, eth(1), eth(1), 60, "InvalidPartner"},
		{"zero challenge period", b.Address, common.Address{}, eth(1), eth(1), 0, "InvalidChallengePeriod"},
		{"challenge period over 30 days", b.Address, common.Address{}, eth(1), eth(1), 30*24*3600 + 1, "InvalidChallengePeriod"},
		{"ETH value below amount", b.Address, common.Address{}, eth(2), eth(1), 60, "EthValueMismatch"},
		{"ETH value above amount", b.Address, common.Address{}, eth(1), eth(2), 60, "EthValueMismatch"},
		{"ETH sent with a token deposit", b.Address, token, eth(1), eth(1), 60, "EthValueMismatch"},
		{"amount over 2^128-1", b.Address, token, tooLarge, nil, 60, "AmountTooLarge"},
		{"token without code", b.Address, noCode, eth(1), nil, 60, "TokenTransferFailed"},
		{"token deposit above allowance", b.Address, token, eth(11), nil, 60, "TokenTransferFailed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.with(t).expectRevert(a, e.channels, tc.value, e.sc.PackOpen(tc.partner, tc.token, tc.amount, tc.period), errID(t, tc.want))
		})
	}
}

func TestOpenAcceptsChallengePeriodBounds(t *testing.T) {
	e := newEVM(t)
	for _, period := range []uint64{1, 30 * 24 * 3600} {
		id := e.openETH(e.accounts[1], e.accounts[2].Address, big.NewInt(1), period)
		if got := e.view(id).ChallengePeriod; got != period {
			t.Fatalf("challenge period %d stored as %d", period, got)
		}
	}
}

func TestOpenPullsApprovedTokens(t *testing.T) {
	cases := []struct {
		name        string
		deploy      func(e *evm, holders []devchain.Account) common.Address
		wantDeposit *big.Int
	}{
		{"standard ERC-20", func(e *evm, h []devchain.Account) common.Address { return e.deployToken(h, eth(100)) }, eth(10)},
		{"token returning no bool", func(e *evm, h []devchain.Account) common.Address { return e.deployNoBoolToken(h, eth(100)) }, eth(10)},
		// FeeToken burns 1%: only 9.9 arrive, and only 9.9 may be credited.
		{"fee-on-transfer token", func(e *evm, h []devchain.Account) common.Address { return e.deployFeeToken(h, eth(100)) },
			new(big.Int).Div(eth(99), big.NewInt(10))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEVM(t)
			a, b := e.accounts[1], e.accounts[2]
			token := tc.deploy(e, []devchain.Account{a})
			id := e.openToken(a, b.Address, token, eth(10), 60)
			v := e.view(id)
			if v.Token != token {
				t.Fatalf("token = %s, want %s", v.Token, token)
			}
			wantBig(t, "depositA", v.DepositA, tc.wantDeposit)
			wantBig(t, "contract token balance", e.tokenBalance(token, e.channels), tc.wantDeposit)
			wantBig(t, "opener token balance", e.tokenBalance(token, a.Address), eth(90))
		})
	}
}
