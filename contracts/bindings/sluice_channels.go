// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// SluiceChannelsChannelView is an auto generated low-level Go binding around an user-defined struct.
type SluiceChannelsChannelView struct {
	A               common.Address
	B               common.Address
	Token           common.Address
	Status          uint8
	ChallengePeriod uint64
	SettleAfter     uint64
	DepositA        *big.Int
	DepositB        *big.Int
	WithdrawnA      *big.Int
	WithdrawnB      *big.Int
	NonceA          uint64
	NonceB          uint64
	TransferredA    *big.Int
	TransferredB    *big.Int
}

// SluiceChannelsLock is an auto generated low-level Go binding around an user-defined struct.
type SluiceChannelsLock struct {
	Amount     *big.Int
	Expiration uint64
	SecretHash [32]byte
}

// SluiceChannelsMetaData contains all meta data concerning the SluiceChannels contract.
var SluiceChannelsMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"AmountTooLarge\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ChallengePeriodNotOver\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ChallengePeriodOver\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ChannelNotClosing\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ChannelNotOpen\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EthTransferFailed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EthValueMismatch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidAmount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidChallengePeriod\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidLocks\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidPartner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignature\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotParticipant\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NothingToClaim\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NothingToUnlock\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Reentrancy\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"StaleNonce\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TokenTransferFailed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TooManyLocks\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"UnknownChannel\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"WithdrawalExpired\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"WithdrawalNotIncreasing\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"WrongBalanceSum\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"WrongSigner\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"closer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"settleAfter\",\"type\":\"uint64\"}],\"name\":\"ChannelClosed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"a\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"b\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"challengePeriod\",\"type\":\"uint64\"}],\"name\":\"ChannelOpened\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balanceA\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balanceB\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"cooperative\",\"type\":\"bool\"}],\"name\":\"ChannelSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Claimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Credited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"participant\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"totalDeposit\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"receiver\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"locksRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"locked\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"held\",\"type\":\"uint256\"}],\"name\":\"LocksHeld\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"}],\"name\":\"ProofUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"secretHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"secret\",\"type\":\"bytes32\"}],\"name\":\"SecretRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"toReceiver\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"toSender\",\"type\":\"uint256\"}],\"name\":\"Unlocked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"participant\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"totalWithdrawn\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_CHALLENGE_PERIOD\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_LOCKED\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_LOCKS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MIN_CHALLENGE_PERIOD\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"channel\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"a\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"b\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"enumSluiceChannels.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"uint64\",\"name\":\"challengePeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"settleAfter\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"depositA\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"depositB\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"withdrawnA\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"withdrawnB\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"nonceA\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"nonceB\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"transferredA\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"transferredB\",\"type\":\"uint256\"}],\"internalType\":\"structSluiceChannels.ChannelView\",\"name\":\"v\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"claim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"claimable\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"locked\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"locksRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"sig\",\"type\":\"bytes\"}],\"name\":\"close\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"balanceA\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"balanceB\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"sigA\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"sigB\",\"type\":\"bytes\"}],\"name\":\"closeCooperative\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"participant\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"domainSeparator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"locked\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"locksRoot\",\"type\":\"bytes32\"}],\"name\":\"hashBalanceProof\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"locked\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"locksRoot\",\"type\":\"bytes32\"}],\"name\":\"hashEndorsement\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"expiration\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"secretHash\",\"type\":\"bytes32\"}],\"internalType\":\"structSluiceChannels.Lock[]\",\"name\":\"locks\",\"type\":\"tuple[]\"}],\"name\":\"hashLocksRoot\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"balanceA\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"balanceB\",\"type\":\"uint256\"}],\"name\":\"hashSettlement\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"participant\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"totalWithdrawn\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"name\":\"hashWithdrawal\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"partner\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"challengePeriod\",\"type\":\"uint64\"}],\"name\":\"open\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"pendingUnlock\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"receiver\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"held\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"secret\",\"type\":\"bytes32\"}],\"name\":\"registerSecret\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"secrets\",\"type\":\"bytes32[]\"}],\"name\":\"registerSecrets\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"all\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"secretHash\",\"type\":\"bytes32\"}],\"name\":\"secretRegisteredAt\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"settle\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"expiration\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"secretHash\",\"type\":\"bytes32\"}],\"internalType\":\"structSluiceChannels.Lock[]\",\"name\":\"locks\",\"type\":\"tuple[]\"}],\"name\":\"unlock\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"locked\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"locksRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"sig\",\"type\":\"bytes\"}],\"name\":\"updateProof\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"locked\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"locksRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"sig\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"receiverSig\",\"type\":\"bytes\"}],\"name\":\"updateProofFor\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"participant\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"totalWithdrawn\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"sigA\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"sigB\",\"type\":\"bytes\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "SluiceChannels",
	Bin: "0x60c0346100e35760015f5546608052602081017f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f81527fd5a819f6db6a62bb21b486ec4fa7b0e5191106ceb4bfda5285957aeaef5a09dc60408301527fc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc660608301524660808301523060a083015260a0825260c082019180831060018060401b038411176100cf578260405251902060a05261351d90816100e88239608051816133c8015260a051816133ee0152f35b634e487b7160e01b5f52604160045260245ffd5b5f80fdfe60806040526004361015610011575f80fd5b5f3560e01c806307f823bb146125185780630d6bc8d4146124d457806312ad8bfc1461248e578063156ed7e9146124555780631e83409a1461227a57806322c9ab221461226457806350956edc146120855780637e1d737414611d9e57806380c1e70614611d6357806381030fb414611cb357806384b494c714611c6b5780638c8e195a14611c29578063987757dd14611824578063aecb8d4b1461175a578063b2947859146116b8578063b660a46514611273578063b7d9c80e14610f90578063d312efe914610f6c578063d322934314610f33578063d4570c1c14610ea7578063d954863c14610c19578063e5b96f3f14610887578063ee3a03431461050a578063f698da25146104d2578063f9dacd2a146104705763faf5e15a14610137575f80fd5b3461046c5760a07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c5760043560443560243560643567ffffffffffffffff811161046c5761018f903690600401612617565b939060843567ffffffffffffffff811161046c576101b1903690600401612617565b939060ff5f5c166104445760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d835f52600160205260405f20936101fb856131e6565b600385019761022189546fffffffffffffffffffffffffffffffff8160801c9116612794565b9061025360048801926102498454916fffffffffffffffffffffffffffffffff831690612787565b9060801c90612787565b80861190811561043a575b8115610426575b506103fe57610275898685612f84565b90875473ffffffffffffffffffffffffffffffffffffffff1698899560018a0198895473ffffffffffffffffffffffffffffffffffffffff169b8c946102bb9287612b1f565b6102c493612b1f565b60028601805487547fff0000000000000000000000000000000000000000000000000000000000000016740300000000000000000000000000000000000000001790975585547fffffffffffffffffffffffff00000000000000000000000000000000000000001690955584546103aa9973ffffffffffffffffffffffffffffffffffffffff978816976103a5979192166103d2575b505f90819055905560408051848152602081018990526001918101919091527f45f4f6dd69393ad7d292ec596cdff4f3ee2aed068e89216cb742423c948c476490606090a283612ece565b612ece565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c165f5d005b7fffffffffffffffffffffffff000000000000000000000000000000000000000081541690555f61035a565b7f766bc6f7000000000000000000000000000000000000000000000000000000005f5260045ffd5b90506104328a87612794565b14155f610265565b808b11915061025e565b7fab143c06000000000000000000000000000000000000000000000000000000005f5260045ffd5b5f80fd5b3461046c5760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c5760043567ffffffffffffffff811161046c576104ca6104c46020923690600401612645565b90612eb8565b604051908152f35b3461046c575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c5760206104ca6133c5565b3461046c5760c07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c57600435610544612569565b90604435916105516125af565b9260843567ffffffffffffffff811161046c57610572903690600401612617565b949060a43567ffffffffffffffff811161046c57610594903690600401612617565b93909260ff5f5c166104445760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d865f52600160205260405f20926105df846131e6565b6105e98785613172565b67ffffffffffffffff8316421161085f576fffffffffffffffffffffffffffffffff8411610837578015610819576fffffffffffffffffffffffffffffffff806004870154165b1691828511156107f15781156107d1576106646fffffffffffffffffffffffffffffffff600488015460801c5b1686612794565b61068860038801546fffffffffffffffffffffffffffffffff8160801c9116612794565b106107a9576103aa9a73ffffffffffffffffffffffffffffffffffffffff986002986106ce6106db946106c28f998f8c906107259c6127a1565b948d8c54169186612b1f565b8a60018a01541692612b1f565b15610762576004840180547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff85161790555b82612787565b956040519187835260208301527fad382ae4a0a8c252d70b902c9cc346f3e881ad505df3f728122a01006bb88f09604086881693a3015416612ece565b6004840180546fffffffffffffffffffffffffffffffff16608085901b7fffffffffffffffffffffffffffffffff000000000000000000000000000000001617905561071f565b7f2c5211c6000000000000000000000000000000000000000000000000000000005f5260045ffd5b6106646fffffffffffffffffffffffffffffffff8060048901541661065d565b7fbcd846f8000000000000000000000000000000000000000000000000000000005f5260045ffd5b6fffffffffffffffffffffffffffffffff600486015460801c610630565b7f06250401000000000000000000000000000000000000000000000000000000005f5260045ffd5b7fc140b38a000000000000000000000000000000000000000000000000000000005f5260045ffd5b60807ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c576108b961258c565b6108c1612569565b906108ca6125af565b9060ff5f5c166104445773ffffffffffffffffffffffffffffffffffffffff9060017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d1680158015610c10575b8015610c07575b610bdf5767ffffffffffffffff8216600181108015610bd3575b610bab5761094e6044358561325a565b905f54916001830195868411610b7e576020965f5560405173ffffffffffffffffffffffffffffffffffffffff8882019246845230604084015233606084015287608084015216948560a083015260c082015260c081526109b060e0826126e9565b5190205f8181526001808952604090912080547fffffffffffffff00000000ffffffffffffffffffffffffffffffffffffffffff7fffffffffffffffffffffff00ffffffffffffffffffffffffffffffffffffffff33167fffffffffffffffffffffff0000000000000000000000000000000000000000009092169190911774010000000000000000000000000000000000000000171660a89890981b78ffffffff00000000000000000000000000000000000000000016979097178755860180547fffffffffffffffffffffffff000000000000000000000000000000000000000016861790559483610b4d575b81610b0a575b50604051928352858301526040820152827ff3351e353c954d8d8e1504f878c1a10fcaa49ae848d7d14d7ed733f62966e8ff60603393a47fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c165f5d604051908152f35b60030180547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff831617905586610aa5565b60028101847fffffffffffffffffffffffff0000000000000000000000000000000000000000825416179055610a9f565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b7fb4e12433000000000000000000000000000000000000000000000000000000005f5260045ffd5b5062278d00811161093e565b7fa9d533f7000000000000000000000000000000000000000000000000000000005f5260045ffd5b50308114610924565b5033811461091d565b60607ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c57600435610c4e612569565b9060443560ff5f5c166104445760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d815f52600160205260405f2092610c9a846131e6565b73ffffffffffffffffffffffffffffffffffffffff84541633141580610e83575b610e5b57610cc98185613172565b9382156107a9578415610e3d576fffffffffffffffffffffffffffffffff806003830154165b1691826fffffffffffffffffffffffffffffffff036fffffffffffffffffffffffffffffffff8111610b7e57841161083757610dc160409383610d77610d717f2dcdaad87b561ba5a69835009b4c53ef9d3c41ca6cc9574049187659d6c6a7159873ffffffffffffffffffffffffffffffffffffffff6002819901541661325a565b83612794565b9815610df75760030180547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff8a161790555b87612787565b95835196875260208701521693a37fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c165f5d005b60030180546fffffffffffffffffffffffffffffffff1660808a901b7fffffffffffffffffffffffffffffffff0000000000000000000000000000000016179055610dbb565b6fffffffffffffffffffffffffffffffff600382015460801c610cef565b7fe438f8ce000000000000000000000000000000000000000000000000000000005f5260045ffd5b5073ffffffffffffffffffffffffffffffffffffffff600185015416331415610cbb565b3461046c5760407ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c57610ede61258c565b73ffffffffffffffffffffffffffffffffffffffff610efb612569565b91165f52600260205273ffffffffffffffffffffffffffffffffffffffff60405f2091165f52602052602060405f2054604051908152f35b3461046c575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c57602060405160408152f35b3461046c5760206104ca610f8b610f82366125c6565b93929092612970565b612adc565b3461046c5760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c576040516101c0810181811067ffffffffffffffff821117611246576040525f8152602081015f8152604082015f815260608301925f84525f608082015260a08101915f835260c08201945f865260e08301915f83525f6101008501525f6101208501525f6101408501525f6101608501525f6101808501525f6101a08501526004355f52600160205260405f2090815473ffffffffffffffffffffffffffffffffffffffff8116865273ffffffffffffffffffffffffffffffffffffffff600184015416885273ffffffffffffffffffffffffffffffffffffffff6002840154168252600460ff8260a01c1610156112195773ffffffffffffffffffffffffffffffffffffffff9265ffffffffffff8260ff6fffffffffffffffffffffffffffffffff9460a01c16875263ffffffff8160a81c1660808a015260c81c16885260038101548281168b5260801c8652600481015482811661010089015260801c61012088015281600660058301549267ffffffffffffffff8460801c166101408b015201549167ffffffffffffffff8360801c166101608a015216610180880152166101a086015281604051978187511689525116602088015251166040860152519460048610156112195767ffffffffffffffff6101a0946101c0976060880152816080860151166080880152511660a08601525160c08501525160e084015261010081015161010084015261012081015161012084015267ffffffffffffffff6101408201511661014084015267ffffffffffffffff6101608201511661016084015261018081015161018084015201516101a0820152f35b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b3461046c5761128136612676565b60ff5f979695949392975c166104445760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d855f52600160205260405f20946112d0866131e6565b6112da3387613172565b67ffffffffffffffff82169889611440575050506114185782159182159261140e575b508115611404575b506107a9575b63ffffffff825460a81c1667ffffffffffffffff4216019067ffffffffffffffff8211610b7e5782547fff000000000000ffffffff00ffffffffffffffffffffffffffffffffffffffff1660c883901b7effffffffffff000000000000000000000000000000000000000000000000001617740200000000000000000000000000000000000000001790925560408051948552602085019290925267ffffffffffffffff169083015233917f4fafc92b3f0c96431d5e848402b5529913d58ac2b781d301c22eb99d45103a6790606090a37fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c165f5d005b9050151585611305565b15159150866112fd565b7f8baa579f000000000000000000000000000000000000000000000000000000005f5260045ffd5b6fffffffffffffffffffffffffffffffff879695969492939411610837576114aa9189916114a56114a089898c8a8f73ffffffffffffffffffffffffffffffffffffffff9061148f868661322d565b8c156116b057600101541698612970565b6129d9565b612b1f565b156115b3576006850180547fffffffffffffffff000000000000000000000000000000000000000000000000166fffffffffffffffffffffffffffffffff86161760809290921b77ffffffffffffffff00000000000000000000000000000000169190911781558261151f575b50505061130b565b80547fffffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffff1678010000000000000000000000000000000000000000000000001790556007840180546fffffffffffffffffffffffffffffffff1660809290921b7fffffffffffffffffffffffffffffffff00000000000000000000000000000000169190911790556009830155848080611517565b6005850180547fffffffffffffffff000000000000000000000000000000000000000000000000166fffffffffffffffffffffffffffffffff86161760809290921b77ffffffffffffffff0000000000000000000000000000000016919091178155826116225750505061130b565b78010000000000000000000000000000000000000000000000007fffffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffff8254161790556fffffffffffffffffffffffffffffffff80600786019216167fffffffffffffffffffffffffffffffff000000000000000000000000000000008254161790556008830155848080611517565b541698612970565b3461046c5760407ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c576116fa6116f2612569565b600435612e82565b5f526004602052611756600160405f200154604051918173ffffffffffffffffffffffffffffffffffffffff849360a01c9116836020909392919373ffffffffffffffffffffffffffffffffffffffff60408201951681520152565b0390f35b3461046c5761176836612676565b60ff5f9693969594955c16610444576103aa9660017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d805f52600160205260405f20926117ba8461292a565b6117fd6117c73386613172565b9182156118045773ffffffffffffffffffffffffffffffffffffffff6001870154169485915b6114a56114a08d8d8d8d8b612970565b1592612b4b565b73ffffffffffffffffffffffffffffffffffffffff8654169485916117ed565b3461046c5760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c5760043560ff5f5c166104445760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d805f52600160205260405f209061189e82612fd3565b815465ffffffffffff8160c81c16421115611c015761190560ff8460036103aa9601948554906fffffffffffffffffffffffffffffffff82169261190a60048201936102498554916fffffffffffffffffffffffffffffffff8316998a9160801c89612794565b612787565b9361192d60068301916fffffffffffffffffffffffffffffffff83541690612794565b9160058101926119528454996fffffffffffffffffffffffffffffffff8b1690612794565b80821115611bf85761196391612787565b955b808711611bf0575b61198c8773ffffffffffffffffffffffffffffffffffffffff92612787565b991694600182019a73ffffffffffffffffffffffffffffffffffffffff8c54169960028401908b73ffffffffffffffffffffffffffffffffffffffff8354169b8c9260c01c16611bb8575b505060ff855460c01c16611b84575b83547fff0000000000000000000000000000000000000000000000000000000000000016740300000000000000000000000000000000000000001784558c547fffffffffffffffffffffffff000000000000000000000000000000000000000016909c558b549a9b999a98996103a59973ffffffffffffffffffffffffffffffffffffffff16611b58575b505f90819055905582547fffffffffffffffff0000000000000000000000000000000000000000000000009081168455825416825582549160c083901c60ff168015611b4a575b611afd575b505050507f45f4f6dd69393ad7d292ec596cdff4f3ee2aed068e89216cb742423c948c476460606040518581528960208201525f6040820152a283612ece565b7fffffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffff92831690935582549091169091555f600782018190556008820181905560099091015588808080611abd565b5060ff815460c01c16611ab8565b7fffffffffffffffffffffffff000000000000000000000000000000000000000081541690558d611a71565b611baf8c611ba98d9e8a8e9f6103a59f8e60078c015460801c9260098d015494613046565b90612787565b9b9a99506119e6565b8a898b611be8959d94611ba9946fffffffffffffffffffffffffffffffff60078c0154169260088c015494613046565b97898b6119d7565b95508561196d565b50505f95611965565b7fd1312e9f000000000000000000000000000000000000000000000000000000005f5260045ffd5b3461046c5760607ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c5760206104ca604435602435600435612f84565b3461046c5760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c576004355f526003602052602060405f2054604051908152f35b3461046c5760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c5760043567ffffffffffffffff811161046c573660238201121561046c57806004013567ffffffffffffffff811161046c573660248260051b8401011161046c5760015f5b82811015611d5657611d4060248260051b86010135612821565b15611d4e575b600101611d26565b5f9150611d46565b6020826040519015158152f35b3461046c575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c57602060405162278d008152f35b3461046c5760607ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c57600435611dd8612569565b9060443567ffffffffffffffff811161046c57611df9903690600401612645565b60ff5f9492945c166104445760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d611e388284612e82565b5f52600460205260405f20938454801561205d5760408311612035575f915f935f6003602052606082028301835b818110611ff5575050611fcd57611e7c91612eb8565b5f928260405160208101908482528360408201525f606082015260608152611ea56080826126e9565b51902003611f8f575b5050508460016103aa96018054908160a01c925f94611f46575b5f90819055905591926103a59273ffffffffffffffffffffffffffffffffffffffff9183811015611f3b57611efe908094612787565b96604051908482528860208301527f70286758974597c595b4e2eac95e91fea5f26224326821b50f23314ece691a246040858a1693a31683612ece565b50611efe8380612787565b6002810180547fffffffffffffffffffffffff0000000000000000000000000000000000000000811690915573ffffffffffffffffffffffffffffffffffffffff169450611ec8565b90919250604051906020820192835260408201526001606082015260608152611fb96080826126e9565b51902003611fcd5760016103aa8680611eae565b7fbed58990000000000000000000000000000000000000000000000000000000005f5260045ffd5b80969296359687840193841017929660408201355f5260405f205460208301358111159015151661202a575b50606001611e66565b909701966060612021565b7ff4db984e000000000000000000000000000000000000000000000000000000005f5260045ffd5b7f764c157f000000000000000000000000000000000000000000000000000000005f5260045ffd5b3461046c5760e07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c5760043560243567ffffffffffffffff8116810361046c57604435606435906084359260a43567ffffffffffffffff811161046c576120f6903690600401612617565b9560c43567ffffffffffffffff811161046c57612117903690600401612617565b91909760ff5f5c166104445760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d815f52600160205261218160405f20916121658361292a565b6121728a8a8a8a88612970565b9561217c876129d9565b612a27565b925f9073ffffffffffffffffffffffffffffffffffffffff8354169173ffffffffffffffffffffffffffffffffffffffff86168381145f14612207575050906121fc916103aa9b6121d3600198612adc565b928815612201575073ffffffffffffffffffffffffffffffffffffffff60018601541692612b1f565b612b4b565b92612b1f565b73ffffffffffffffffffffffffffffffffffffffff60018699959493990154160361223c576103aa9b6121d36121fc94612adc565b7fa7932e6a000000000000000000000000000000000000000000000000000000005f5260045ffd5b3461046c5760206104ca6114a0610f82366125c6565b3461046c5760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c576122b161258c565b60ff5f5c166104445760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d335f52600260205260405f2073ffffffffffffffffffffffffffffffffffffffff82165f5260205260405f205490811561242d57335f52600260205260405f2073ffffffffffffffffffffffffffffffffffffffff82165f526020525f604081205573ffffffffffffffffffffffffffffffffffffffff8116806040518481527ff7a40077ff7a04c7e61f6f26fb13774259ddf1b6bce9ecf26a8276cdd399268360203392a36123f457505f80808093335af161239e61272a565b50156123cc577fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c165f5d005b7f6d963f88000000000000000000000000000000000000000000000000000000005f5260045ffd5b90612400913390612893565b6103aa575b7f045c4b02000000000000000000000000000000000000000000000000000000005f5260045ffd5b7f969bf728000000000000000000000000000000000000000000000000000000005f5260045ffd5b3461046c575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c57602060405160018152f35b3461046c5760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c5760206124ca600435612821565b6040519015158152f35b3461046c575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c5760206040516bffffffffffffffffffffffff8152f35b3461046c5760807ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261046c5760206104ca612554612569565b61255c6125af565b90604435906004356127a1565b6024359073ffffffffffffffffffffffffffffffffffffffff8216820361046c57565b6004359073ffffffffffffffffffffffffffffffffffffffff8216820361046c57565b6064359067ffffffffffffffff8216820361046c57565b7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc60a091011261046c576004359060243567ffffffffffffffff8116810361046c5790604435906064359060843590565b9181601f8401121561046c5782359167ffffffffffffffff831161046c576020838186019501011161046c57565b9181601f8401121561046c5782359167ffffffffffffffff831161046c576020808501946060850201011161046c57565b9060c07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc83011261046c576004359160243567ffffffffffffffff8116810361046c579160443591606435916084359160a4359067ffffffffffffffff821161046c576126e591600401612617565b9091565b90601f7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0910116810190811067ffffffffffffffff82111761124657604052565b3d15612782573d9067ffffffffffffffff8211611246576040519161277760207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f84011601846126e9565b82523d5f602084013e565b606090565b91908203918211610b7e57565b91908201809211610b7e57565b9161281e9367ffffffffffffffff9173ffffffffffffffffffffffffffffffffffffffff6040519460208601967f10a85e7c2ed932883caef937608d286d43457f60e49f96c23ac5b3a0e34c2be48852604087015216606085015260808401521660a082015260a0815261281660c0826126e9565b5190206129d9565b90565b60405160208101908282526020815261283b6040826126e9565b51902090815f52600360205260405f205461288d5760207fccbb7c5251ab1e77495110b474e2be6f758c33c7e6e8bd615119d59f40a32a0891835f52600382524260405f2055604051908152a2600190565b50505f90565b6040517fa9059cbb00000000000000000000000000000000000000000000000000000000602080830191825273ffffffffffffffffffffffffffffffffffffffff9490941660248301526044808301959095529381525f94939091906128fa6064846126e9565b60405195869351925af180923d91612910575050565b81612919575050565b601f91929350600190511491111690565b65ffffffffffff9061293b81612fd3565b5460c81c16421161294857565b7ff5417510000000000000000000000000000000000000000000000000000000005f5260045ffd5b939192909267ffffffffffffffff6040519460208601967f9732330c0d426dc97c2c5757eea68d446a040b524df5c06e481cf344c1aa639c88526040870152166060850152608084015260a083015260c082015260c081526129d360e0826126e9565b51902090565b6129e16133c5565b906040519060208201927f1901000000000000000000000000000000000000000000000000000000000000845260228301526042820152604281526129d36062826126e9565b916041036114185760208101359160408201355f1a90601b82141580612ad1575b8015612aa8575b611418576020935f9360809360405193845286840152356040830152606082015282805260015afa15612a9d575f519073ffffffffffffffffffffffffffffffffffffffff82161561141857565b6040513d5f823e3d90fd5b507f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a08411612a4f565b50601c821415612a48565b61281e9060405160208101917f04b95d7c515da286feaca43cd7f77e832177862ad48a77bfbfd969536bcdfc1683526040820152604081526128166060826126e9565b73ffffffffffffffffffffffffffffffffffffffff928392612b4092612a27565b921691160361223c57565b9396959490956fffffffffffffffffffffffffffffffff821161083757612b72818761322d565b80159384159015612d35576005860180549267ffffffffffffffff8460801c1667ffffffffffffffff8c161115612d0d577f9c1a09789433a444418fb5b04320328c958acf47c776e0bdfe8e9de4b1e94e679860409873ffffffffffffffffffffffffffffffffffffffff98612c99968691612cff575b50612cb2575b505081547fffffffffffffffff000000000000000000000000000000000000000000000000166fffffffffffffffffffffffffffffffff86161760808c901b77ffffffffffffffff0000000000000000000000000000000016178255505b907fffffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffff78ff000000000000000000000000000000000000000000000000835492151560c01b169116179055565b67ffffffffffffffff84519716875260208701521693a3565b6008916fffffffffffffffffffffffffffffffff80600784019216167fffffffffffffffffffffffffffffffff0000000000000000000000000000000082541617905501555f8080612bef565b60ff915060c01c165f612be9565b7fd8d01cf0000000000000000000000000000000000000000000000000000000005f5260045ffd5b6006860180549267ffffffffffffffff8460801c1667ffffffffffffffff8c161115612d0d577f9c1a09789433a444418fb5b04320328c958acf47c776e0bdfe8e9de4b1e94e679860409873ffffffffffffffffffffffffffffffffffffffff98612e08968691612e74575b50612e0d57505081547fffffffffffffffff000000000000000000000000000000000000000000000000166fffffffffffffffffffffffffffffffff86161760808c901b77ffffffffffffffff000000000000000000000000000000001617825550612c4d565b612c99565b612e6a6fffffffffffffffffffffffffffffffff6009931660078301906fffffffffffffffffffffffffffffffff7fffffffffffffffffffffffffffffffff0000000000000000000000000000000083549260801b169116179055565b01555f8080612bef565b60ff915060c01c165f612da1565b9073ffffffffffffffffffffffffffffffffffffffff6040519160208301938452166040820152604081526129d36060826126e9565b90801561288d5760600290816040519182372090565b91908115612f7f5773ffffffffffffffffffffffffffffffffffffffff831692828285612f71575f8093508092819261c350f15b15612f0c57505050565b602073ffffffffffffffffffffffffffffffffffffffff7f4e45da441832cf53bdaa69235704fc0575e68210f459ee1562911024b12967d5921692835f526002825260405f20855f52825260405f20612f66828254612794565b9055604051908152a3565b612f7a92612893565b612f02565b505050565b9061281e926040519160208301937ffb2f3acd9f54ac91f60a5d861fbe19192a2d437e1a24b18de58219a87375373785526040840152606083015260808201526080815261281660a0826126e9565b5460a01c60ff16906004821015611219576002821461304257501561301a577f71566347000000000000000000000000000000000000000000000000000000005f5260045ffd5b7f7d18f3da000000000000000000000000000000000000000000000000000000005f5260045ffd5b9050565b93906080929573ffffffffffffffffffffffffffffffffffffffff927f2ad92df6995987db64bd15707f29ff53b03279a54e296b3fa6bdf0bde4d9066f9599988082105f1461316c575080915b829a61309f858a612e82565b5f52600460205260405f2086821615156040516020810190858252866040820152826060820152606081526130d48b826126e9565b51902082556001820180547fffffffffffffffffffffffff00000000000000000000000000000000000000009081168e8b16178a1660a089901b909116179055613137575b505084604051991689526020890152604088015260608701521693a3565b600287910191167fffffffffffffffffffffffff00000000000000000000000000000000000000008254161790555f80613119565b91613093565b73ffffffffffffffffffffffffffffffffffffffff8082541692169182146131df576001015473ffffffffffffffffffffffffffffffffffffffff16146131db577fe438f8ce000000000000000000000000000000000000000000000000000000005f5260045ffd5b5f90565b5050600190565b5460a01c60ff16906004821015611219576001821461304257501561301a577fd4621ed2000000000000000000000000000000000000000000000000000000005f5260045ffd5b906bffffffffffffffffffffffff821161083757159081613250575b50611fcd57565b905015155f613249565b9190916fffffffffffffffffffffffffffffffff83116108375773ffffffffffffffffffffffffffffffffffffffff8116156133b9573461339157821561338b57803b15612405576132ab816134a2565b905f8060405160208101907f23b872dd000000000000000000000000000000000000000000000000000000008252336024820152306044820152876064820152606481526132fa6084826126e9565b519082855af161330861272a565b901590811561333a575b5061240557613320906134a2565b908082106124055761333191612787565b91821161240557565b809150518015159182613350575b50505f613312565b602082109250908215613367575b50505f80613348565b819250906020918101031261046c576020015180159081150361046c575f8061335e565b505f9150565b7f42c0a68f000000000000000000000000000000000000000000000000000000005f5260045ffd5b50908034036133915790565b467f000000000000000000000000000000000000000000000000000000000000000003613410577f000000000000000000000000000000000000000000000000000000000000000090565b60405160208101907f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f82527fd5a819f6db6a62bb21b486ec4fa7b0e5191106ceb4bfda5285957aeaef5a09dc60408201527fc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc660608201524660808201523060a082015260a081526129d360c0826126e9565b5f809160405160208101907f70a08231000000000000000000000000000000000000000000000000000000008252306024820152602481526134e56044826126e9565b51915afa6134f161272a565b90158015613512575b6124055760208180518101031261046c576020015190565b5060208151106134fa56",
}

// SluiceChannels is an auto generated Go binding around an Ethereum contract.
type SluiceChannels struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *SluiceChannels) GetABI() abi.ABI {
	return c.abi
}

// NewSluiceChannels creates a new instance of SluiceChannels.
func NewSluiceChannels() *SluiceChannels {
	parsed, err := SluiceChannelsMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &SluiceChannels{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *SluiceChannels) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackMAXCHALLENGEPERIOD is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x80c1e706.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_CHALLENGE_PERIOD() view returns(uint64)
func (sluiceChannels *SluiceChannels) PackMAXCHALLENGEPERIOD() []byte {
	enc, err := sluiceChannels.abi.Pack("MAX_CHALLENGE_PERIOD")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXCHALLENGEPERIOD is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x80c1e706.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_CHALLENGE_PERIOD() view returns(uint64)
func (sluiceChannels *SluiceChannels) TryPackMAXCHALLENGEPERIOD() ([]byte, error) {
	return sluiceChannels.abi.Pack("MAX_CHALLENGE_PERIOD")
}

// UnpackMAXCHALLENGEPERIOD is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x80c1e706.
//
// Solidity: function MAX_CHALLENGE_PERIOD() view returns(uint64)
func (sluiceChannels *SluiceChannels) UnpackMAXCHALLENGEPERIOD(data []byte) (uint64, error) {
	out, err := sluiceChannels.abi.Unpack("MAX_CHALLENGE_PERIOD", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackMAXLOCKED is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0d6bc8d4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_LOCKED() view returns(uint256)
func (sluiceChannels *SluiceChannels) PackMAXLOCKED() []byte {
	enc, err := sluiceChannels.abi.Pack("MAX_LOCKED")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXLOCKED is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0d6bc8d4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_LOCKED() view returns(uint256)
func (sluiceChannels *SluiceChannels) TryPackMAXLOCKED() ([]byte, error) {
	return sluiceChannels.abi.Pack("MAX_LOCKED")
}

// UnpackMAXLOCKED is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0d6bc8d4.
//
// Solidity: function MAX_LOCKED() view returns(uint256)
func (sluiceChannels *SluiceChannels) UnpackMAXLOCKED(data []byte) (*big.Int, error) {
	out, err := sluiceChannels.abi.Unpack("MAX_LOCKED", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMAXLOCKS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd3229343.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_LOCKS() view returns(uint256)
func (sluiceChannels *SluiceChannels) PackMAXLOCKS() []byte {
	enc, err := sluiceChannels.abi.Pack("MAX_LOCKS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXLOCKS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd3229343.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_LOCKS() view returns(uint256)
func (sluiceChannels *SluiceChannels) TryPackMAXLOCKS() ([]byte, error) {
	return sluiceChannels.abi.Pack("MAX_LOCKS")
}

// UnpackMAXLOCKS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd3229343.
//
// Solidity: function MAX_LOCKS() view returns(uint256)
func (sluiceChannels *SluiceChannels) UnpackMAXLOCKS(data []byte) (*big.Int, error) {
	out, err := sluiceChannels.abi.Unpack("MAX_LOCKS", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMINCHALLENGEPERIOD is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x156ed7e9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MIN_CHALLENGE_PERIOD() view returns(uint64)
func (sluiceChannels *SluiceChannels) PackMINCHALLENGEPERIOD() []byte {
	enc, err := sluiceChannels.abi.Pack("MIN_CHALLENGE_PERIOD")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMINCHALLENGEPERIOD is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x156ed7e9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MIN_CHALLENGE_PERIOD() view returns(uint64)
func (sluiceChannels *SluiceChannels) TryPackMINCHALLENGEPERIOD() ([]byte, error) {
	return sluiceChannels.abi.Pack("MIN_CHALLENGE_PERIOD")
}

// UnpackMINCHALLENGEPERIOD is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x156ed7e9.
//
// Solidity: function MIN_CHALLENGE_PERIOD() view returns(uint64)
func (sluiceChannels *SluiceChannels) UnpackMINCHALLENGEPERIOD(data []byte) (uint64, error) {
	out, err := sluiceChannels.abi.Unpack("MIN_CHALLENGE_PERIOD", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackChannel is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb7d9c80e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function channel(bytes32 id) view returns((address,address,address,uint8,uint64,uint64,uint256,uint256,uint256,uint256,uint64,uint64,uint256,uint256) v)
func (sluiceChannels *SluiceChannels) PackChannel(id [32]byte) []byte {
	enc, err := sluiceChannels.abi.Pack("channel", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChannel is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb7d9c80e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function channel(bytes32 id) view returns((address,address,address,uint8,uint64,uint64,uint256,uint256,uint256,uint256,uint64,uint64,uint256,uint256) v)
func (sluiceChannels *SluiceChannels) TryPackChannel(id [32]byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("channel", id)
}

// UnpackChannel is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb7d9c80e.
//
// Solidity: function channel(bytes32 id) view returns((address,address,address,uint8,uint64,uint64,uint256,uint256,uint256,uint256,uint64,uint64,uint256,uint256) v)
func (sluiceChannels *SluiceChannels) UnpackChannel(data []byte) (SluiceChannelsChannelView, error) {
	out, err := sluiceChannels.abi.Unpack("channel", data)
	if err != nil {
		return *new(SluiceChannelsChannelView), err
	}
	out0 := *abi.ConvertType(out[0], new(SluiceChannelsChannelView)).(*SluiceChannelsChannelView)
	return out0, nil
}

// PackClaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1e83409a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claim(address token) returns()
func (sluiceChannels *SluiceChannels) PackClaim(token common.Address) []byte {
	enc, err := sluiceChannels.abi.Pack("claim", token)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1e83409a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claim(address token) returns()
func (sluiceChannels *SluiceChannels) TryPackClaim(token common.Address) ([]byte, error) {
	return sluiceChannels.abi.Pack("claim", token)
}

// PackClaimable is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4570c1c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claimable(address account, address token) view returns(uint256)
func (sluiceChannels *SluiceChannels) PackClaimable(account common.Address, token common.Address) []byte {
	enc, err := sluiceChannels.abi.Pack("claimable", account, token)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaimable is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4570c1c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claimable(address account, address token) view returns(uint256)
func (sluiceChannels *SluiceChannels) TryPackClaimable(account common.Address, token common.Address) ([]byte, error) {
	return sluiceChannels.abi.Pack("claimable", account, token)
}

// UnpackClaimable is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd4570c1c.
//
// Solidity: function claimable(address account, address token) view returns(uint256)
func (sluiceChannels *SluiceChannels) UnpackClaimable(data []byte) (*big.Int, error) {
	out, err := sluiceChannels.abi.Unpack("claimable", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackClose is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb660a465.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function close(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot, bytes sig) returns()
func (sluiceChannels *SluiceChannels) PackClose(id [32]byte, nonce uint64, transferred *big.Int, locked *big.Int, locksRoot [32]byte, sig []byte) []byte {
	enc, err := sluiceChannels.abi.Pack("close", id, nonce, transferred, locked, locksRoot, sig)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClose is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb660a465.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function close(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot, bytes sig) returns()
func (sluiceChannels *SluiceChannels) TryPackClose(id [32]byte, nonce uint64, transferred *big.Int, locked *big.Int, locksRoot [32]byte, sig []byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("close", id, nonce, transferred, locked, locksRoot, sig)
}

// PackCloseCooperative is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfaf5e15a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function closeCooperative(bytes32 id, uint256 balanceA, uint256 balanceB, bytes sigA, bytes sigB) returns()
func (sluiceChannels *SluiceChannels) PackCloseCooperative(id [32]byte, balanceA *big.Int, balanceB *big.Int, sigA []byte, sigB []byte) []byte {
	enc, err := sluiceChannels.abi.Pack("closeCooperative", id, balanceA, balanceB, sigA, sigB)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCloseCooperative is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfaf5e15a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function closeCooperative(bytes32 id, uint256 balanceA, uint256 balanceB, bytes sigA, bytes sigB) returns()
func (sluiceChannels *SluiceChannels) TryPackCloseCooperative(id [32]byte, balanceA *big.Int, balanceB *big.Int, sigA []byte, sigB []byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("closeCooperative", id, balanceA, balanceB, sigA, sigB)
}

// PackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd954863c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit(bytes32 id, address participant, uint256 amount) payable returns()
func (sluiceChannels *SluiceChannels) PackDeposit(id [32]byte, participant common.Address, amount *big.Int) []byte {
	enc, err := sluiceChannels.abi.Pack("deposit", id, participant, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd954863c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deposit(bytes32 id, address participant, uint256 amount) payable returns()
func (sluiceChannels *SluiceChannels) TryPackDeposit(id [32]byte, participant common.Address, amount *big.Int) ([]byte, error) {
	return sluiceChannels.abi.Pack("deposit", id, participant, amount)
}

// PackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (sluiceChannels *SluiceChannels) PackDomainSeparator() []byte {
	enc, err := sluiceChannels.abi.Pack("domainSeparator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (sluiceChannels *SluiceChannels) TryPackDomainSeparator() ([]byte, error) {
	return sluiceChannels.abi.Pack("domainSeparator")
}

// UnpackDomainSeparator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (sluiceChannels *SluiceChannels) UnpackDomainSeparator(data []byte) ([32]byte, error) {
	out, err := sluiceChannels.abi.Unpack("domainSeparator", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackHashBalanceProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x22c9ab22.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashBalanceProof(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot) view returns(bytes32)
func (sluiceChannels *SluiceChannels) PackHashBalanceProof(id [32]byte, nonce uint64, transferred *big.Int, locked *big.Int, locksRoot [32]byte) []byte {
	enc, err := sluiceChannels.abi.Pack("hashBalanceProof", id, nonce, transferred, locked, locksRoot)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashBalanceProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x22c9ab22.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashBalanceProof(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot) view returns(bytes32)
func (sluiceChannels *SluiceChannels) TryPackHashBalanceProof(id [32]byte, nonce uint64, transferred *big.Int, locked *big.Int, locksRoot [32]byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("hashBalanceProof", id, nonce, transferred, locked, locksRoot)
}

// UnpackHashBalanceProof is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x22c9ab22.
//
// Solidity: function hashBalanceProof(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot) view returns(bytes32)
func (sluiceChannels *SluiceChannels) UnpackHashBalanceProof(data []byte) ([32]byte, error) {
	out, err := sluiceChannels.abi.Unpack("hashBalanceProof", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackHashEndorsement is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd312efe9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashEndorsement(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot) view returns(bytes32)
func (sluiceChannels *SluiceChannels) PackHashEndorsement(id [32]byte, nonce uint64, transferred *big.Int, locked *big.Int, locksRoot [32]byte) []byte {
	enc, err := sluiceChannels.abi.Pack("hashEndorsement", id, nonce, transferred, locked, locksRoot)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashEndorsement is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd312efe9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashEndorsement(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot) view returns(bytes32)
func (sluiceChannels *SluiceChannels) TryPackHashEndorsement(id [32]byte, nonce uint64, transferred *big.Int, locked *big.Int, locksRoot [32]byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("hashEndorsement", id, nonce, transferred, locked, locksRoot)
}

// UnpackHashEndorsement is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd312efe9.
//
// Solidity: function hashEndorsement(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot) view returns(bytes32)
func (sluiceChannels *SluiceChannels) UnpackHashEndorsement(data []byte) ([32]byte, error) {
	out, err := sluiceChannels.abi.Unpack("hashEndorsement", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackHashLocksRoot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf9dacd2a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashLocksRoot((uint256,uint64,bytes32)[] locks) pure returns(bytes32)
func (sluiceChannels *SluiceChannels) PackHashLocksRoot(locks []SluiceChannelsLock) []byte {
	enc, err := sluiceChannels.abi.Pack("hashLocksRoot", locks)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashLocksRoot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf9dacd2a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashLocksRoot((uint256,uint64,bytes32)[] locks) pure returns(bytes32)
func (sluiceChannels *SluiceChannels) TryPackHashLocksRoot(locks []SluiceChannelsLock) ([]byte, error) {
	return sluiceChannels.abi.Pack("hashLocksRoot", locks)
}

// UnpackHashLocksRoot is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf9dacd2a.
//
// Solidity: function hashLocksRoot((uint256,uint64,bytes32)[] locks) pure returns(bytes32)
func (sluiceChannels *SluiceChannels) UnpackHashLocksRoot(data []byte) ([32]byte, error) {
	out, err := sluiceChannels.abi.Unpack("hashLocksRoot", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackHashSettlement is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8c8e195a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashSettlement(bytes32 id, uint256 balanceA, uint256 balanceB) view returns(bytes32)
func (sluiceChannels *SluiceChannels) PackHashSettlement(id [32]byte, balanceA *big.Int, balanceB *big.Int) []byte {
	enc, err := sluiceChannels.abi.Pack("hashSettlement", id, balanceA, balanceB)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashSettlement is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8c8e195a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashSettlement(bytes32 id, uint256 balanceA, uint256 balanceB) view returns(bytes32)
func (sluiceChannels *SluiceChannels) TryPackHashSettlement(id [32]byte, balanceA *big.Int, balanceB *big.Int) ([]byte, error) {
	return sluiceChannels.abi.Pack("hashSettlement", id, balanceA, balanceB)
}

// UnpackHashSettlement is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8c8e195a.
//
// Solidity: function hashSettlement(bytes32 id, uint256 balanceA, uint256 balanceB) view returns(bytes32)
func (sluiceChannels *SluiceChannels) UnpackHashSettlement(data []byte) ([32]byte, error) {
	out, err := sluiceChannels.abi.Unpack("hashSettlement", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackHashWithdrawal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x07f823bb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashWithdrawal(bytes32 id, address participant, uint256 totalWithdrawn, uint64 expiry) view returns(bytes32)
func (sluiceChannels *SluiceChannels) PackHashWithdrawal(id [32]byte, participant common.Address, totalWithdrawn *big.Int, expiry uint64) []byte {
	enc, err := sluiceChannels.abi.Pack("hashWithdrawal", id, participant, totalWithdrawn, expiry)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashWithdrawal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x07f823bb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashWithdrawal(bytes32 id, address participant, uint256 totalWithdrawn, uint64 expiry) view returns(bytes32)
func (sluiceChannels *SluiceChannels) TryPackHashWithdrawal(id [32]byte, participant common.Address, totalWithdrawn *big.Int, expiry uint64) ([]byte, error) {
	return sluiceChannels.abi.Pack("hashWithdrawal", id, participant, totalWithdrawn, expiry)
}

// UnpackHashWithdrawal is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x07f823bb.
//
// Solidity: function hashWithdrawal(bytes32 id, address participant, uint256 totalWithdrawn, uint64 expiry) view returns(bytes32)
func (sluiceChannels *SluiceChannels) UnpackHashWithdrawal(data []byte) ([32]byte, error) {
	out, err := sluiceChannels.abi.Unpack("hashWithdrawal", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackOpen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5b96f3f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function open(address partner, address token, uint256 amount, uint64 challengePeriod) payable returns(bytes32 id)
func (sluiceChannels *SluiceChannels) PackOpen(partner common.Address, token common.Address, amount *big.Int, challengePeriod uint64) []byte {
	enc, err := sluiceChannels.abi.Pack("open", partner, token, amount, challengePeriod)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOpen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5b96f3f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function open(address partner, address token, uint256 amount, uint64 challengePeriod) payable returns(bytes32 id)
func (sluiceChannels *SluiceChannels) TryPackOpen(partner common.Address, token common.Address, amount *big.Int, challengePeriod uint64) ([]byte, error) {
	return sluiceChannels.abi.Pack("open", partner, token, amount, challengePeriod)
}

// UnpackOpen is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe5b96f3f.
//
// Solidity: function open(address partner, address token, uint256 amount, uint64 challengePeriod) payable returns(bytes32 id)
func (sluiceChannels *SluiceChannels) UnpackOpen(data []byte) ([32]byte, error) {
	out, err := sluiceChannels.abi.Unpack("open", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackPendingUnlock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb2947859.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pendingUnlock(bytes32 id, address sender) view returns(address receiver, uint256 held)
func (sluiceChannels *SluiceChannels) PackPendingUnlock(id [32]byte, sender common.Address) []byte {
	enc, err := sluiceChannels.abi.Pack("pendingUnlock", id, sender)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPendingUnlock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb2947859.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pendingUnlock(bytes32 id, address sender) view returns(address receiver, uint256 held)
func (sluiceChannels *SluiceChannels) TryPackPendingUnlock(id [32]byte, sender common.Address) ([]byte, error) {
	return sluiceChannels.abi.Pack("pendingUnlock", id, sender)
}

// PendingUnlockOutput serves as a container for the return parameters of contract
// method PendingUnlock.
type PendingUnlockOutput struct {
	Receiver common.Address
	Held     *big.Int
}

// UnpackPendingUnlock is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb2947859.
//
// Solidity: function pendingUnlock(bytes32 id, address sender) view returns(address receiver, uint256 held)
func (sluiceChannels *SluiceChannels) UnpackPendingUnlock(data []byte) (PendingUnlockOutput, error) {
	out, err := sluiceChannels.abi.Unpack("pendingUnlock", data)
	outstruct := new(PendingUnlockOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Receiver = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.Held = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackRegisterSecret is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x12ad8bfc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registerSecret(bytes32 secret) returns(bool)
func (sluiceChannels *SluiceChannels) PackRegisterSecret(secret [32]byte) []byte {
	enc, err := sluiceChannels.abi.Pack("registerSecret", secret)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegisterSecret is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x12ad8bfc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registerSecret(bytes32 secret) returns(bool)
func (sluiceChannels *SluiceChannels) TryPackRegisterSecret(secret [32]byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("registerSecret", secret)
}

// UnpackRegisterSecret is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x12ad8bfc.
//
// Solidity: function registerSecret(bytes32 secret) returns(bool)
func (sluiceChannels *SluiceChannels) UnpackRegisterSecret(data []byte) (bool, error) {
	out, err := sluiceChannels.abi.Unpack("registerSecret", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackRegisterSecrets is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x81030fb4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registerSecrets(bytes32[] secrets) returns(bool all)
func (sluiceChannels *SluiceChannels) PackRegisterSecrets(secrets [][32]byte) []byte {
	enc, err := sluiceChannels.abi.Pack("registerSecrets", secrets)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegisterSecrets is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x81030fb4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registerSecrets(bytes32[] secrets) returns(bool all)
func (sluiceChannels *SluiceChannels) TryPackRegisterSecrets(secrets [][32]byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("registerSecrets", secrets)
}

// UnpackRegisterSecrets is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x81030fb4.
//
// Solidity: function registerSecrets(bytes32[] secrets) returns(bool all)
func (sluiceChannels *SluiceChannels) UnpackRegisterSecrets(data []byte) (bool, error) {
	out, err := sluiceChannels.abi.Unpack("registerSecrets", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackSecretRegisteredAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84b494c7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function secretRegisteredAt(bytes32 secretHash) view returns(uint256)
func (sluiceChannels *SluiceChannels) PackSecretRegisteredAt(secretHash [32]byte) []byte {
	enc, err := sluiceChannels.abi.Pack("secretRegisteredAt", secretHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSecretRegisteredAt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84b494c7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function secretRegisteredAt(bytes32 secretHash) view returns(uint256)
func (sluiceChannels *SluiceChannels) TryPackSecretRegisteredAt(secretHash [32]byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("secretRegisteredAt", secretHash)
}

// UnpackSecretRegisteredAt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x84b494c7.
//
// Solidity: function secretRegisteredAt(bytes32 secretHash) view returns(uint256)
func (sluiceChannels *SluiceChannels) UnpackSecretRegisteredAt(data []byte) (*big.Int, error) {
	out, err := sluiceChannels.abi.Unpack("secretRegisteredAt", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackSettle is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x987757dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function settle(bytes32 id) returns()
func (sluiceChannels *SluiceChannels) PackSettle(id [32]byte) []byte {
	enc, err := sluiceChannels.abi.Pack("settle", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSettle is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x987757dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function settle(bytes32 id) returns()
func (sluiceChannels *SluiceChannels) TryPackSettle(id [32]byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("settle", id)
}

// PackUnlock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7e1d7374.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unlock(bytes32 id, address sender, (uint256,uint64,bytes32)[] locks) returns()
func (sluiceChannels *SluiceChannels) PackUnlock(id [32]byte, sender common.Address, locks []SluiceChannelsLock) []byte {
	enc, err := sluiceChannels.abi.Pack("unlock", id, sender, locks)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnlock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7e1d7374.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unlock(bytes32 id, address sender, (uint256,uint64,bytes32)[] locks) returns()
func (sluiceChannels *SluiceChannels) TryPackUnlock(id [32]byte, sender common.Address, locks []SluiceChannelsLock) ([]byte, error) {
	return sluiceChannels.abi.Pack("unlock", id, sender, locks)
}

// PackUpdateProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaecb8d4b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateProof(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot, bytes sig) returns()
func (sluiceChannels *SluiceChannels) PackUpdateProof(id [32]byte, nonce uint64, transferred *big.Int, locked *big.Int, locksRoot [32]byte, sig []byte) []byte {
	enc, err := sluiceChannels.abi.Pack("updateProof", id, nonce, transferred, locked, locksRoot, sig)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaecb8d4b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateProof(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot, bytes sig) returns()
func (sluiceChannels *SluiceChannels) TryPackUpdateProof(id [32]byte, nonce uint64, transferred *big.Int, locked *big.Int, locksRoot [32]byte, sig []byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("updateProof", id, nonce, transferred, locked, locksRoot, sig)
}

// PackUpdateProofFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x50956edc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateProofFor(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot, bytes sig, bytes receiverSig) returns()
func (sluiceChannels *SluiceChannels) PackUpdateProofFor(id [32]byte, nonce uint64, transferred *big.Int, locked *big.Int, locksRoot [32]byte, sig []byte, receiverSig []byte) []byte {
	enc, err := sluiceChannels.abi.Pack("updateProofFor", id, nonce, transferred, locked, locksRoot, sig, receiverSig)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateProofFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x50956edc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateProofFor(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot, bytes sig, bytes receiverSig) returns()
func (sluiceChannels *SluiceChannels) TryPackUpdateProofFor(id [32]byte, nonce uint64, transferred *big.Int, locked *big.Int, locksRoot [32]byte, sig []byte, receiverSig []byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("updateProofFor", id, nonce, transferred, locked, locksRoot, sig, receiverSig)
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xee3a0343.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw(bytes32 id, address participant, uint256 totalWithdrawn, uint64 expiry, bytes sigA, bytes sigB) returns()
func (sluiceChannels *SluiceChannels) PackWithdraw(id [32]byte, participant common.Address, totalWithdrawn *big.Int, expiry uint64, sigA []byte, sigB []byte) []byte {
	enc, err := sluiceChannels.abi.Pack("withdraw", id, participant, totalWithdrawn, expiry, sigA, sigB)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xee3a0343.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw(bytes32 id, address participant, uint256 totalWithdrawn, uint64 expiry, bytes sigA, bytes sigB) returns()
func (sluiceChannels *SluiceChannels) TryPackWithdraw(id [32]byte, participant common.Address, totalWithdrawn *big.Int, expiry uint64, sigA []byte, sigB []byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("withdraw", id, participant, totalWithdrawn, expiry, sigA, sigB)
}

// SluiceChannelsChannelClosed represents a ChannelClosed event raised by the SluiceChannels contract.
type SluiceChannelsChannelClosed struct {
	Id          [32]byte
	Closer      common.Address
	Nonce       uint64
	Transferred *big.Int
	SettleAfter uint64
	Raw         *types.Log // Blockchain specific contextual infos
}

const SluiceChannelsChannelClosedEventName = "ChannelClosed"

// ContractEventName returns the user-defined event name.
func (SluiceChannelsChannelClosed) ContractEventName() string {
	return SluiceChannelsChannelClosedEventName
}

// UnpackChannelClosedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ChannelClosed(bytes32 indexed id, address indexed closer, uint64 nonce, uint256 transferred, uint64 settleAfter)
func (sluiceChannels *SluiceChannels) UnpackChannelClosedEvent(log *types.Log) (*SluiceChannelsChannelClosed, error) {
	event := "ChannelClosed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != sluiceChannels.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SluiceChannelsChannelClosed)
	if len(log.Data) > 0 {
		if err := sluiceChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range sluiceChannels.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SluiceChannelsChannelOpened represents a ChannelOpened event raised by the SluiceChannels contract.
type SluiceChannelsChannelOpened struct {
	Id              [32]byte
	A               common.Address
	B               common.Address
	Token           common.Address
	Deposit         *big.Int
	ChallengePeriod uint64
	Raw             *types.Log // Blockchain specific contextual infos
}

const SluiceChannelsChannelOpenedEventName = "ChannelOpened"

// ContractEventName returns the user-defined event name.
func (SluiceChannelsChannelOpened) ContractEventName() string {
	return SluiceChannelsChannelOpenedEventName
}

// UnpackChannelOpenedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ChannelOpened(bytes32 indexed id, address indexed a, address indexed b, address token, uint256 deposit, uint64 challengePeriod)
func (sluiceChannels *SluiceChannels) UnpackChannelOpenedEvent(log *types.Log) (*SluiceChannelsChannelOpened, error) {
	event := "ChannelOpened"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != sluiceChannels.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SluiceChannelsChannelOpened)
	if len(log.Data) > 0 {
		if err := sluiceChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range sluiceChannels.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SluiceChannelsChannelSettled represents a ChannelSettled event raised by the SluiceChannels contract.
type SluiceChannelsChannelSettled struct {
	Id          [32]byte
	BalanceA    *big.Int
	BalanceB    *big.Int
	Cooperative bool
	Raw         *types.Log // Blockchain specific contextual infos
}

const SluiceChannelsChannelSettledEventName = "ChannelSettled"

// ContractEventName returns the user-defined event name.
func (SluiceChannelsChannelSettled) ContractEventName() string {
	return SluiceChannelsChannelSettledEventName
}

// UnpackChannelSettledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ChannelSettled(bytes32 indexed id, uint256 balanceA, uint256 balanceB, bool cooperative)
func (sluiceChannels *SluiceChannels) UnpackChannelSettledEvent(log *types.Log) (*SluiceChannelsChannelSettled, error) {
	event := "ChannelSettled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != sluiceChannels.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SluiceChannelsChannelSettled)
	if len(log.Data) > 0 {
		if err := sluiceChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range sluiceChannels.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SluiceChannelsClaimed represents a Claimed event raised by the SluiceChannels contract.
type SluiceChannelsClaimed struct {
	Account common.Address
	Token   common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const SluiceChannelsClaimedEventName = "Claimed"

// ContractEventName returns the user-defined event name.
func (SluiceChannelsClaimed) ContractEventName() string {
	return SluiceChannelsClaimedEventName
}

// UnpackClaimedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Claimed(address indexed account, address indexed token, uint256 amount)
func (sluiceChannels *SluiceChannels) UnpackClaimedEvent(log *types.Log) (*SluiceChannelsClaimed, error) {
	event := "Claimed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != sluiceChannels.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SluiceChannelsClaimed)
	if len(log.Data) > 0 {
		if err := sluiceChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range sluiceChannels.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SluiceChannelsCredited represents a Credited event raised by the SluiceChannels contract.
type SluiceChannelsCredited struct {
	Account common.Address
	Token   common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const SluiceChannelsCreditedEventName = "Credited"

// ContractEventName returns the user-defined event name.
func (SluiceChannelsCredited) ContractEventName() string {
	return SluiceChannelsCreditedEventName
}

// UnpackCreditedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Credited(address indexed account, address indexed token, uint256 amount)
func (sluiceChannels *SluiceChannels) UnpackCreditedEvent(log *types.Log) (*SluiceChannelsCredited, error) {
	event := "Credited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != sluiceChannels.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SluiceChannelsCredited)
	if len(log.Data) > 0 {
		if err := sluiceChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range sluiceChannels.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SluiceChannelsDeposited represents a Deposited event raised by the SluiceChannels contract.
type SluiceChannelsDeposited struct {
	Id           [32]byte
	Participant  common.Address
	Amount       *big.Int
	TotalDeposit *big.Int
	Raw          *types.Log // Blockchain specific contextual infos
}

const SluiceChannelsDepositedEventName = "Deposited"

// ContractEventName returns the user-defined event name.
func (SluiceChannelsDeposited) ContractEventName() string {
	return SluiceChannelsDepositedEventName
}

// UnpackDepositedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Deposited(bytes32 indexed id, address indexed participant, uint256 amount, uint256 totalDeposit)
func (sluiceChannels *SluiceChannels) UnpackDepositedEvent(log *types.Log) (*SluiceChannelsDeposited, error) {
	event := "Deposited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != sluiceChannels.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SluiceChannelsDeposited)
	if len(log.Data) > 0 {
		if err := sluiceChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range sluiceChannels.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SluiceChannelsLocksHeld represents a LocksHeld event raised by the SluiceChannels contract.
type SluiceChannelsLocksHeld struct {
	Id        [32]byte
	Sender    common.Address
	Receiver  common.Address
	LocksRoot [32]byte
	Locked    *big.Int
	Held      *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const SluiceChannelsLocksHeldEventName = "LocksHeld"

// ContractEventName returns the user-defined event name.
func (SluiceChannelsLocksHeld) ContractEventName() string {
	return SluiceChannelsLocksHeldEventName
}

// UnpackLocksHeldEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event LocksHeld(bytes32 indexed id, address indexed sender, address receiver, bytes32 locksRoot, uint256 locked, uint256 held)
func (sluiceChannels *SluiceChannels) UnpackLocksHeldEvent(log *types.Log) (*SluiceChannelsLocksHeld, error) {
	event := "LocksHeld"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != sluiceChannels.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SluiceChannelsLocksHeld)
	if len(log.Data) > 0 {
		if err := sluiceChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range sluiceChannels.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SluiceChannelsProofUpdated represents a ProofUpdated event raised by the SluiceChannels contract.
type SluiceChannelsProofUpdated struct {
	Id          [32]byte
	Signer      common.Address
	Nonce       uint64
	Transferred *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const SluiceChannelsProofUpdatedEventName = "ProofUpdated"

// ContractEventName returns the user-defined event name.
func (SluiceChannelsProofUpdated) ContractEventName() string {
	return SluiceChannelsProofUpdatedEventName
}

// UnpackProofUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProofUpdated(bytes32 indexed id, address indexed signer, uint64 nonce, uint256 transferred)
func (sluiceChannels *SluiceChannels) UnpackProofUpdatedEvent(log *types.Log) (*SluiceChannelsProofUpdated, error) {
	event := "ProofUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != sluiceChannels.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SluiceChannelsProofUpdated)
	if len(log.Data) > 0 {
		if err := sluiceChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range sluiceChannels.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SluiceChannelsSecretRegistered represents a SecretRegistered event raised by the SluiceChannels contract.
type SluiceChannelsSecretRegistered struct {
	SecretHash [32]byte
	Secret     [32]byte
	Raw        *types.Log // Blockchain specific contextual infos
}

const SluiceChannelsSecretRegisteredEventName = "SecretRegistered"

// ContractEventName returns the user-defined event name.
func (SluiceChannelsSecretRegistered) ContractEventName() string {
	return SluiceChannelsSecretRegisteredEventName
}

// UnpackSecretRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SecretRegistered(bytes32 indexed secretHash, bytes32 secret)
func (sluiceChannels *SluiceChannels) UnpackSecretRegisteredEvent(log *types.Log) (*SluiceChannelsSecretRegistered, error) {
	event := "SecretRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != sluiceChannels.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SluiceChannelsSecretRegistered)
	if len(log.Data) > 0 {
		if err := sluiceChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range sluiceChannels.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SluiceChannelsUnlocked represents a Unlocked event raised by the SluiceChannels contract.
type SluiceChannelsUnlocked struct {
	Id         [32]byte
	Sender     common.Address
	ToReceiver *big.Int
	ToSender   *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const SluiceChannelsUnlockedEventName = "Unlocked"

// ContractEventName returns the user-defined event name.
func (SluiceChannelsUnlocked) ContractEventName() string {
	return SluiceChannelsUnlockedEventName
}

// UnpackUnlockedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Unlocked(bytes32 indexed id, address indexed sender, uint256 toReceiver, uint256 toSender)
func (sluiceChannels *SluiceChannels) UnpackUnlockedEvent(log *types.Log) (*SluiceChannelsUnlocked, error) {
	event := "Unlocked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != sluiceChannels.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SluiceChannelsUnlocked)
	if len(log.Data) > 0 {
		if err := sluiceChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range sluiceChannels.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// SluiceChannelsWithdrawn represents a Withdrawn event raised by the SluiceChannels contract.
type SluiceChannelsWithdrawn struct {
	Id             [32]byte
	Participant    common.Address
	Amount         *big.Int
	TotalWithdrawn *big.Int
	Raw            *types.Log // Blockchain specific contextual infos
}

const SluiceChannelsWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (SluiceChannelsWithdrawn) ContractEventName() string {
	return SluiceChannelsWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(bytes32 indexed id, address indexed participant, uint256 amount, uint256 totalWithdrawn)
func (sluiceChannels *SluiceChannels) UnpackWithdrawnEvent(log *types.Log) (*SluiceChannelsWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != sluiceChannels.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SluiceChannelsWithdrawn)
	if len(log.Data) > 0 {
		if err := sluiceChannels.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range sluiceChannels.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (sluiceChannels *SluiceChannels) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["AmountTooLarge"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackAmountTooLargeError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["ChallengePeriodNotOver"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackChallengePeriodNotOverError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["ChallengePeriodOver"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackChallengePeriodOverError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["ChannelNotClosing"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackChannelNotClosingError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["ChannelNotOpen"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackChannelNotOpenError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["EthTransferFailed"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackEthTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["EthValueMismatch"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackEthValueMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["InvalidAmount"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackInvalidAmountError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["InvalidChallengePeriod"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackInvalidChallengePeriodError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["InvalidLocks"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackInvalidLocksError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["InvalidPartner"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackInvalidPartnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["InvalidSignature"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["NotParticipant"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackNotParticipantError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["NothingToClaim"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackNothingToClaimError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["NothingToUnlock"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackNothingToUnlockError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["Reentrancy"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackReentrancyError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["StaleNonce"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackStaleNonceError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["TokenTransferFailed"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackTokenTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["TooManyLocks"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackTooManyLocksError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["UnknownChannel"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackUnknownChannelError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["WithdrawalExpired"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackWithdrawalExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["WithdrawalNotIncreasing"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackWithdrawalNotIncreasingError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["WrongBalanceSum"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackWrongBalanceSumError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["WrongSigner"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackWrongSignerError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// SluiceChannelsAmountTooLarge represents a AmountTooLarge error raised by the SluiceChannels contract.
type SluiceChannelsAmountTooLarge struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AmountTooLarge()
func SluiceChannelsAmountTooLargeErrorID() common.Hash {
	return common.HexToHash("0x06250401c072295744520da9e60a3a29ab28ceb9fda5d792222d5242d22e8a44")
}

// UnpackAmountTooLargeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AmountTooLarge()
func (sluiceChannels *SluiceChannels) UnpackAmountTooLargeError(raw []byte) (*SluiceChannelsAmountTooLarge, error) {
	out := new(SluiceChannelsAmountTooLarge)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "AmountTooLarge", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsChallengePeriodNotOver represents a ChallengePeriodNotOver error raised by the SluiceChannels contract.
type SluiceChannelsChallengePeriodNotOver struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChallengePeriodNotOver()
func SluiceChannelsChallengePeriodNotOverErrorID() common.Hash {
	return common.HexToHash("0xd1312e9ff6826934b2fd84a2b7cd6281afc19ac53b3905fe6683a7819b45406e")
}

// UnpackChallengePeriodNotOverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChallengePeriodNotOver()
func (sluiceChannels *SluiceChannels) UnpackChallengePeriodNotOverError(raw []byte) (*SluiceChannelsChallengePeriodNotOver, error) {
	out := new(SluiceChannelsChallengePeriodNotOver)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "ChallengePeriodNotOver", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsChallengePeriodOver represents a ChallengePeriodOver error raised by the SluiceChannels contract.
type SluiceChannelsChallengePeriodOver struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChallengePeriodOver()
func SluiceChannelsChallengePeriodOverErrorID() common.Hash {
	return common.HexToHash("0xf54175104d44deb89b137c3920c73931260503e00a0b4030650dc4a381659475")
}

// UnpackChallengePeriodOverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChallengePeriodOver()
func (sluiceChannels *SluiceChannels) UnpackChallengePeriodOverError(raw []byte) (*SluiceChannelsChallengePeriodOver, error) {
	out := new(SluiceChannelsChallengePeriodOver)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "ChallengePeriodOver", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsChannelNotClosing represents a ChannelNotClosing error raised by the SluiceChannels contract.
type SluiceChannelsChannelNotClosing struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChannelNotClosing()
func SluiceChannelsChannelNotClosingErrorID() common.Hash {
	return common.HexToHash("0x71566347e030c905bf45eabd9b48f58ab60b6dcca370013c19a083b9f07e8260")
}

// UnpackChannelNotClosingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChannelNotClosing()
func (sluiceChannels *SluiceChannels) UnpackChannelNotClosingError(raw []byte) (*SluiceChannelsChannelNotClosing, error) {
	out := new(SluiceChannelsChannelNotClosing)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "ChannelNotClosing", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsChannelNotOpen represents a ChannelNotOpen error raised by the SluiceChannels contract.
type SluiceChannelsChannelNotOpen struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChannelNotOpen()
func SluiceChannelsChannelNotOpenErrorID() common.Hash {
	return common.HexToHash("0xd4621ed2e7910c2fc0bcaf129ad1a9222ad72a6eb2cbd0ebfbd9789414b5de44")
}

// UnpackChannelNotOpenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChannelNotOpen()
func (sluiceChannels *SluiceChannels) UnpackChannelNotOpenError(raw []byte) (*SluiceChannelsChannelNotOpen, error) {
	out := new(SluiceChannelsChannelNotOpen)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "ChannelNotOpen", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsEthTransferFailed represents a EthTransferFailed error raised by the SluiceChannels contract.
type SluiceChannelsEthTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EthTransferFailed()
func SluiceChannelsEthTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x6d963f88320eb7ba26bde12e9a148612be34ed8cfb2f4e191e88c4af7a5386fc")
}

// UnpackEthTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EthTransferFailed()
func (sluiceChannels *SluiceChannels) UnpackEthTransferFailedError(raw []byte) (*SluiceChannelsEthTransferFailed, error) {
	out := new(SluiceChannelsEthTransferFailed)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "EthTransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsEthValueMismatch represents a EthValueMismatch error raised by the SluiceChannels contract.
type SluiceChannelsEthValueMismatch struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EthValueMismatch()
func SluiceChannelsEthValueMismatchErrorID() common.Hash {
	return common.HexToHash("0x42c0a68f3b1ee75f8fda3a6bddfb0f5838e000d58d00ee2d21276be8461e4fec")
}

// UnpackEthValueMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EthValueMismatch()
func (sluiceChannels *SluiceChannels) UnpackEthValueMismatchError(raw []byte) (*SluiceChannelsEthValueMismatch, error) {
	out := new(SluiceChannelsEthValueMismatch)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "EthValueMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsInvalidAmount represents a InvalidAmount error raised by the SluiceChannels contract.
type SluiceChannelsInvalidAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidAmount()
func SluiceChannelsInvalidAmountErrorID() common.Hash {
	return common.HexToHash("0x2c5211c6cb73b16841677a034781e8336d18ce66df858e54153c86854e11f7b8")
}

// UnpackInvalidAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidAmount()
func (sluiceChannels *SluiceChannels) UnpackInvalidAmountError(raw []byte) (*SluiceChannelsInvalidAmount, error) {
	out := new(SluiceChannelsInvalidAmount)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "InvalidAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsInvalidChallengePeriod represents a InvalidChallengePeriod error raised by the SluiceChannels contract.
type SluiceChannelsInvalidChallengePeriod struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidChallengePeriod()
func SluiceChannelsInvalidChallengePeriodErrorID() common.Hash {
	return common.HexToHash("0xb4e12433ff35a71d36ed1d3efb1305647f41c8f4c02990fb89ece7c2f8c8db06")
}

// UnpackInvalidChallengePeriodError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidChallengePeriod()
func (sluiceChannels *SluiceChannels) UnpackInvalidChallengePeriodError(raw []byte) (*SluiceChannelsInvalidChallengePeriod, error) {
	out := new(SluiceChannelsInvalidChallengePeriod)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "InvalidChallengePeriod", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsInvalidLocks represents a InvalidLocks error raised by the SluiceChannels contract.
type SluiceChannelsInvalidLocks struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidLocks()
func SluiceChannelsInvalidLocksErrorID() common.Hash {
	return common.HexToHash("0xbed5899072cd6b2793bdd558a641ba646e9fc53259b8286054de5135ca93c878")
}

// UnpackInvalidLocksError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidLocks()
func (sluiceChannels *SluiceChannels) UnpackInvalidLocksError(raw []byte) (*SluiceChannelsInvalidLocks, error) {
	out := new(SluiceChannelsInvalidLocks)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "InvalidLocks", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsInvalidPartner represents a InvalidPartner error raised by the SluiceChannels contract.
type SluiceChannelsInvalidPartner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidPartner()
func SluiceChannelsInvalidPartnerErrorID() common.Hash {
	return common.HexToHash("0xa9d533f73627604f66ba3edacd0fd8245173a738700c682a1c9cb1028f3b53ab")
}

// UnpackInvalidPartnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidPartner()
func (sluiceChannels *SluiceChannels) UnpackInvalidPartnerError(raw []byte) (*SluiceChannelsInvalidPartner, error) {
	out := new(SluiceChannelsInvalidPartner)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "InvalidPartner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsInvalidSignature represents a InvalidSignature error raised by the SluiceChannels contract.
type SluiceChannelsInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignature()
func SluiceChannelsInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0x8baa579fce362245063d36f11747a89dd489c54795634fc673cc0e0db51fedc5")
}

// UnpackInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignature()
func (sluiceChannels *SluiceChannels) UnpackInvalidSignatureError(raw []byte) (*SluiceChannelsInvalidSignature, error) {
	out := new(SluiceChannelsInvalidSignature)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "InvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsNotParticipant represents a NotParticipant error raised by the SluiceChannels contract.
type SluiceChannelsNotParticipant struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotParticipant()
func SluiceChannelsNotParticipantErrorID() common.Hash {
	return common.HexToHash("0xe438f8cecc6a3c34e7104b39cfd144ab8295aadf7181b35192c287092e0f9fef")
}

// UnpackNotParticipantError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotParticipant()
func (sluiceChannels *SluiceChannels) UnpackNotParticipantError(raw []byte) (*SluiceChannelsNotParticipant, error) {
	out := new(SluiceChannelsNotParticipant)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "NotParticipant", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsNothingToClaim represents a NothingToClaim error raised by the SluiceChannels contract.
type SluiceChannelsNothingToClaim struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingToClaim()
func SluiceChannelsNothingToClaimErrorID() common.Hash {
	return common.HexToHash("0x969bf7288f744225521096ebffff657851af77dd4c63700d76b8d1cf6481d1f1")
}

// UnpackNothingToClaimError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingToClaim()
func (sluiceChannels *SluiceChannels) UnpackNothingToClaimError(raw []byte) (*SluiceChannelsNothingToClaim, error) {
	out := new(SluiceChannelsNothingToClaim)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "NothingToClaim", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsNothingToUnlock represents a NothingToUnlock error raised by the SluiceChannels contract.
type SluiceChannelsNothingToUnlock struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingToUnlock()
func SluiceChannelsNothingToUnlockErrorID() common.Hash {
	return common.HexToHash("0x764c157f31f38117acf17fbbd731845d4d490270b2d6c8cbb5423f72060194d7")
}

// UnpackNothingToUnlockError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingToUnlock()
func (sluiceChannels *SluiceChannels) UnpackNothingToUnlockError(raw []byte) (*SluiceChannelsNothingToUnlock, error) {
	out := new(SluiceChannelsNothingToUnlock)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "NothingToUnlock", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsReentrancy represents a Reentrancy error raised by the SluiceChannels contract.
type SluiceChannelsReentrancy struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Reentrancy()
func SluiceChannelsReentrancyErrorID() common.Hash {
	return common.HexToHash("0xab143c06c9772d69bbbc9f2fe74acd02f810e93b099f3d1dac8448ac9ae35991")
}

// UnpackReentrancyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Reentrancy()
func (sluiceChannels *SluiceChannels) UnpackReentrancyError(raw []byte) (*SluiceChannelsReentrancy, error) {
	out := new(SluiceChannelsReentrancy)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "Reentrancy", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsStaleNonce represents a StaleNonce error raised by the SluiceChannels contract.
type SluiceChannelsStaleNonce struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StaleNonce()
func SluiceChannelsStaleNonceErrorID() common.Hash {
	return common.HexToHash("0xd8d01cf0b56e8e49fb6d1882e60da57d984a8e9d6708c99bf174c2b1dfd07be7")
}

// UnpackStaleNonceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StaleNonce()
func (sluiceChannels *SluiceChannels) UnpackStaleNonceError(raw []byte) (*SluiceChannelsStaleNonce, error) {
	out := new(SluiceChannelsStaleNonce)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "StaleNonce", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsTokenTransferFailed represents a TokenTransferFailed error raised by the SluiceChannels contract.
type SluiceChannelsTokenTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TokenTransferFailed()
func SluiceChannelsTokenTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x045c4b02bfd1d72e80013ca423cc4ad578d2b3a61cfe3a46410880647bff4f57")
}

// UnpackTokenTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TokenTransferFailed()
func (sluiceChannels *SluiceChannels) UnpackTokenTransferFailedError(raw []byte) (*SluiceChannelsTokenTransferFailed, error) {
	out := new(SluiceChannelsTokenTransferFailed)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "TokenTransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsTooManyLocks represents a TooManyLocks error raised by the SluiceChannels contract.
type SluiceChannelsTooManyLocks struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TooManyLocks()
func SluiceChannelsTooManyLocksErrorID() common.Hash {
	return common.HexToHash("0xf4db984e2a1d5894565fee72e49c7073ebfd6fe9e73abb93c8ce4a9f9a7504e1")
}

// UnpackTooManyLocksError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TooManyLocks()
func (sluiceChannels *SluiceChannels) UnpackTooManyLocksError(raw []byte) (*SluiceChannelsTooManyLocks, error) {
	out := new(SluiceChannelsTooManyLocks)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "TooManyLocks", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsUnknownChannel represents a UnknownChannel error raised by the SluiceChannels contract.
type SluiceChannelsUnknownChannel struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownChannel()
func SluiceChannelsUnknownChannelErrorID() common.Hash {
	return common.HexToHash("0x7d18f3da450ee02fe6a12b9cc06b8c2603faf5ebec73ef7495a87f6db1597b57")
}

// UnpackUnknownChannelError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownChannel()
func (sluiceChannels *SluiceChannels) UnpackUnknownChannelError(raw []byte) (*SluiceChannelsUnknownChannel, error) {
	out := new(SluiceChannelsUnknownChannel)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "UnknownChannel", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsWithdrawalExpired represents a WithdrawalExpired error raised by the SluiceChannels contract.
type SluiceChannelsWithdrawalExpired struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WithdrawalExpired()
func SluiceChannelsWithdrawalExpiredErrorID() common.Hash {
	return common.HexToHash("0xc140b38a98456c52a480bcb90deb37ebd900b535872160dcc5a0f73d71585807")
}

// UnpackWithdrawalExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WithdrawalExpired()
func (sluiceChannels *SluiceChannels) UnpackWithdrawalExpiredError(raw []byte) (*SluiceChannelsWithdrawalExpired, error) {
	out := new(SluiceChannelsWithdrawalExpired)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "WithdrawalExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsWithdrawalNotIncreasing represents a WithdrawalNotIncreasing error raised by the SluiceChannels contract.
type SluiceChannelsWithdrawalNotIncreasing struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WithdrawalNotIncreasing()
func SluiceChannelsWithdrawalNotIncreasingErrorID() common.Hash {
	return common.HexToHash("0xbcd846f875c321ef5dda169560777a8567675d94ead7747cdd3cf9beb2399dd8")
}

// UnpackWithdrawalNotIncreasingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WithdrawalNotIncreasing()
func (sluiceChannels *SluiceChannels) UnpackWithdrawalNotIncreasingError(raw []byte) (*SluiceChannelsWithdrawalNotIncreasing, error) {
	out := new(SluiceChannelsWithdrawalNotIncreasing)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "WithdrawalNotIncreasing", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsWrongBalanceSum represents a WrongBalanceSum error raised by the SluiceChannels contract.
type SluiceChannelsWrongBalanceSum struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongBalanceSum()
func SluiceChannelsWrongBalanceSumErrorID() common.Hash {
	return common.HexToHash("0x766bc6f741897f63a36354ee0e89984f55d80542f6537fbbd252f8fa575d4b2c")
}

// UnpackWrongBalanceSumError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongBalanceSum()
func (sluiceChannels *SluiceChannels) UnpackWrongBalanceSumError(raw []byte) (*SluiceChannelsWrongBalanceSum, error) {
	out := new(SluiceChannelsWrongBalanceSum)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "WrongBalanceSum", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SluiceChannelsWrongSigner represents a WrongSigner error raised by the SluiceChannels contract.
type SluiceChannelsWrongSigner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongSigner()
func SluiceChannelsWrongSignerErrorID() common.Hash {
	return common.HexToHash("0xa7932e6aada72effcdc0289c8eb5741bae8c70968f5d6c6ab8df648257fb7b89")
}

// UnpackWrongSignerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongSigner()
func (sluiceChannels *SluiceChannels) UnpackWrongSignerError(raw []byte) (*SluiceChannelsWrongSigner, error) {
	out := new(SluiceChannelsWrongSigner)
	if err := sluiceChannels.abi.UnpackIntoInterface(out, "WrongSigner", raw); err != nil {
		return nil, err
	}
	return out, nil
}
