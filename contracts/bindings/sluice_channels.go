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

// SluiceChannelsMetaData contains all meta data concerning the SluiceChannels contract.
var SluiceChannelsMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"AmountTooLarge\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ChallengePeriodNotOver\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ChallengePeriodOver\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ChannelNotClosing\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ChannelNotOpen\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EthTransferFailed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EthValueMismatch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidAmount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidChallengePeriod\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidPartner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignature\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotParticipant\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NothingToClaim\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Reentrancy\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"StaleNonce\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TokenTransferFailed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"UnknownChannel\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"WithdrawalExpired\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"WithdrawalNotIncreasing\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"WrongBalanceSum\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"WrongSigner\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"closer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"settleAfter\",\"type\":\"uint64\"}],\"name\":\"ChannelClosed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"a\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"b\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"challengePeriod\",\"type\":\"uint64\"}],\"name\":\"ChannelOpened\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balanceA\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balanceB\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"cooperative\",\"type\":\"bool\"}],\"name\":\"ChannelSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Claimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Credited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"participant\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"totalDeposit\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"}],\"name\":\"ProofUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"participant\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"totalWithdrawn\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_CHALLENGE_PERIOD\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MIN_CHALLENGE_PERIOD\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"channel\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"a\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"b\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"enumSluiceChannels.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"uint64\",\"name\":\"challengePeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"settleAfter\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"depositA\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"depositB\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"withdrawnA\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"withdrawnB\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"nonceA\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"nonceB\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"transferredA\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"transferredB\",\"type\":\"uint256\"}],\"internalType\":\"structSluiceChannels.ChannelView\",\"name\":\"v\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"claim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"claimable\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"sig\",\"type\":\"bytes\"}],\"name\":\"close\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"balanceA\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"balanceB\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"sigA\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"sigB\",\"type\":\"bytes\"}],\"name\":\"closeCooperative\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"participant\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"domainSeparator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"}],\"name\":\"hashBalanceProof\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"}],\"name\":\"hashEndorsement\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"balanceA\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"balanceB\",\"type\":\"uint256\"}],\"name\":\"hashSettlement\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"participant\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"totalWithdrawn\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"name\":\"hashWithdrawal\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"partner\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"challengePeriod\",\"type\":\"uint64\"}],\"name\":\"open\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"settle\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"sig\",\"type\":\"bytes\"}],\"name\":\"updateProof\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"transferred\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"sig\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"receiverSig\",\"type\":\"bytes\"}],\"name\":\"updateProofFor\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"participant\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"totalWithdrawn\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"sigA\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"sigB\",\"type\":\"bytes\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "SluiceChannels",
	Bin: "0x60c0346100e35760015f5546608052602081017f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f81527fd5a819f6db6a62bb21b486ec4fa7b0e5191106ceb4bfda5285957aeaef5a09dc60408301527fc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc660608301524660808301523060a083015260a0825260c082019180831060018060401b038411176100cf578260405251902060a0526128bd90816100e8823960805181612768015260a0518161278e0152f35b634e487b7160e01b5f52604160045260245ffd5b5f80fdfe60806040526004361015610011575f80fd5b5f3560e01c806303c90e8f14611afc57806307f823bb14611aab578063156ed7e914611a725780631e83409a146118975780634950181c146115b2578063678e936d1461159757806380c1e7061461155c5780638c8e195a1461151a578063987757dd1461124f578063b7d9c80e14610f6c578063d4570c1c14610ee0578063d954863c14610c52578063e5b96f3f146108c0578063e98cdc62146108a4578063ee3a034314610527578063f5e3bac514610458578063f698da25146104185763faf5e15a146100df575f80fd5b346104145760a07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126104145760043560443560243560643567ffffffffffffffff811161041457610137903690600401611ce9565b939060843567ffffffffffffffff811161041457610159903690600401611ce9565b939060ff5f5c166103ec5760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d835f52600160205260405f20936101a3856123c7565b60038501976101c989546fffffffffffffffffffffffffffffffff8160801c9116611eaf565b906101fb60048801926101f18454916fffffffffffffffffffffffffffffffff831690611ebc565b9060801c90611ebc565b8086119081156103e2575b81156103ce575b506103a65761021d8986856124ae565b90875473ffffffffffffffffffffffffffffffffffffffff1698899560018a0198895473ffffffffffffffffffffffffffffffffffffffff169b8c9461026392876120bb565b61026c936120bb565b60028601805487547fff0000000000000000000000000000000000000000000000000000000000000016740300000000000000000000000000000000000000001790975585547fffffffffffffffffffffffff00000000000000000000000000000000000000001690955584546103529973ffffffffffffffffffffffffffffffffffffffff9788169761034d9791921661037a575b505f90819055905560408051848152602081018990526001918101919091527f45f4f6dd69393ad7d292ec596cdff4f3ee2aed068e89216cb742423c948c476490606090a283612544565b612544565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c165f5d005b7fffffffffffffffffffffffff000000000000000000000000000000000000000081541690555f610302565b7f766bc6f7000000000000000000000000000000000000000000000000000000005f5260045ffd5b90506103da8a87611eaf565b14155f61020d565b808b119150610206565b7fab143c06000000000000000000000000000000000000000000000000000000005f5260045ffd5b5f80fd5b34610414575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc360112610414576020610450612765565b604051908152f35b346104145761046636611d5d565b60ff5f9493945c166103ec576103529460017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d805f52600160205260405f20926104b584611ec9565b6105006104c2338661243a565b9182156105075773ffffffffffffffffffffffffffffffffffffffff6001870154169485915b6104fb6104f68b8b89611f0f565b611f6a565b6120bb565b15926120e7565b73ffffffffffffffffffffffffffffffffffffffff8654169485916104e8565b346104145760c07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261041457600435610561611d17565b906044359161056e611cd2565b9260843567ffffffffffffffff81116104145761058f903690600401611ce9565b949060a43567ffffffffffffffff8111610414576105b1903690600401611ce9565b93909260ff5f5c166103ec5760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d865f52600160205260405f20926105fc846123c7565b610606878561243a565b67ffffffffffffffff8316421161087c576fffffffffffffffffffffffffffffffff8411610854578015610836576fffffffffffffffffffffffffffffffff806004870154165b16918285111561080e5781156107ee576106816fffffffffffffffffffffffffffffffff600488015460801c5b1686611eaf565b6106a560038801546fffffffffffffffffffffffffffffffff8160801c9116611eaf565b106107c6576103529a73ffffffffffffffffffffffffffffffffffffffff986002986106eb6106f8946106df8f998f8c906107429c6122c1565b948d8c541691866120bb565b8a60018a015416926120bb565b1561077f576004840180547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff85161790555b82611ebc565b956040519187835260208301527fad382ae4a0a8c252d70b902c9cc346f3e881ad505df3f728122a01006bb88f09604086881693a3015416612544565b6004840180546fffffffffffffffffffffffffffffffff16608085901b7fffffffffffffffffffffffffffffffff000000000000000000000000000000001617905561073c565b7f2c5211c6000000000000000000000000000000000000000000000000000000005f5260045ffd5b6106816fffffffffffffffffffffffffffffffff8060048901541661067a565b7fbcd846f8000000000000000000000000000000000000000000000000000000005f5260045ffd5b6fffffffffffffffffffffffffffffffff600486015460801c61064d565b7f06250401000000000000000000000000000000000000000000000000000000005f5260045ffd5b7fc140b38a000000000000000000000000000000000000000000000000000000005f5260045ffd5b346104145760206104506104f66108ba36611dc8565b91611f0f565b60807ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc360112610414576108f2611d3a565b6108fa611d17565b90610903611cd2565b9060ff5f5c166103ec5773ffffffffffffffffffffffffffffffffffffffff9060017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d1680158015610c49575b8015610c40575b610c185767ffffffffffffffff8216600181108015610c0c575b610be457610987604435856125fa565b905f54916001830195868411610bb7576020965f5560405173ffffffffffffffffffffffffffffffffffffffff8882019246845230604084015233606084015287608084015216948560a083015260c082015260c081526109e960e082611e11565b5190205f8181526001808952604090912080547fffffffffffffff00000000ffffffffffffffffffffffffffffffffffffffffff7fffffffffffffffffffffff00ffffffffffffffffffffffffffffffffffffffff33167fffffffffffffffffffffff0000000000000000000000000000000000000000009092169190911774010000000000000000000000000000000000000000171660a89890981b78ffffffff00000000000000000000000000000000000000000016979097178755860180547fffffffffffffffffffffffff000000000000000000000000000000000000000016861790559483610b86575b81610b43575b50604051928352858301526040820152827ff3351e353c954d8d8e1504f878c1a10fcaa49ae848d7d14d7ed733f62966e8ff60603393a47fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c165f5d604051908152f35b60030180547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff831617905586610ade565b60028101847fffffffffffffffffffffffff0000000000000000000000000000000000000000825416179055610ad8565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b7fb4e12433000000000000000000000000000000000000000000000000000000005f5260045ffd5b5062278d008111610977565b7fa9d533f7000000000000000000000000000000000000000000000000000000005f5260045ffd5b5030811461095d565b50338114610956565b60607ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261041457600435610c87611d17565b9060443560ff5f5c166103ec5760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d815f52600160205260405f2092610cd3846123c7565b73ffffffffffffffffffffffffffffffffffffffff84541633141580610ebc575b610e9457610d02818561243a565b9382156107c6578415610e76576fffffffffffffffffffffffffffffffff806003830154165b1691826fffffffffffffffffffffffffffffffff036fffffffffffffffffffffffffffffffff8111610bb757841161085457610dfa60409383610db0610daa7f2dcdaad87b561ba5a69835009b4c53ef9d3c41ca6cc9574049187659d6c6a7159873ffffffffffffffffffffffffffffffffffffffff600281990154166125fa565b83611eaf565b9815610e305760030180547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff8a161790555b87611ebc565b95835196875260208701521693a37fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c165f5d005b60030180546fffffffffffffffffffffffffffffffff1660808a901b7fffffffffffffffffffffffffffffffff0000000000000000000000000000000016179055610df4565b6fffffffffffffffffffffffffffffffff600382015460801c610d28565b7fe438f8ce000000000000000000000000000000000000000000000000000000005f5260045ffd5b5073ffffffffffffffffffffffffffffffffffffffff600185015416331415610cf4565b346104145760407ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261041457610f17611d3a565b73ffffffffffffffffffffffffffffffffffffffff610f34611d17565b91165f52600260205273ffffffffffffffffffffffffffffffffffffffff60405f2091165f52602052602060405f2054604051908152f35b346104145760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc360112610414576040516101c0810181811067ffffffffffffffff821117611222576040525f8152602081015f8152604082015f815260608301925f84525f608082015260a08101915f835260c08201945f865260e08301915f83525f6101008501525f6101208501525f6101408501525f6101608501525f6101808501525f6101a08501526004355f52600160205260405f2090815473ffffffffffffffffffffffffffffffffffffffff8116865273ffffffffffffffffffffffffffffffffffffffff600184015416885273ffffffffffffffffffffffffffffffffffffffff6002840154168252600460ff8260a01c1610156111f55773ffffffffffffffffffffffffffffffffffffffff9265ffffffffffff8260ff6fffffffffffffffffffffffffffffffff9460a01c16875263ffffffff8160a81c1660808a015260c81c16885260038101548281168b5260801c8652600481015482811661010089015260801c61012088015281600660058301549267ffffffffffffffff8460801c166101408b015201549167ffffffffffffffff8360801c166101608a015216610180880152166101a086015281604051978187511689525116602088015251166040860152519460048610156111f55767ffffffffffffffff6101a0946101c0976060880152816080860151166080880152511660a08601525160c08501525160e084015261010081015161010084015261012081015161012084015267ffffffffffffffff6101408201511661014084015267ffffffffffffffff6101608201511661016084015261018081015161018084015201516101a0820152f35b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b346104145760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126104145760043560ff5f5c166103ec5760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d805f52600160205260405f20906112c9826124fd565b81549065ffffffffffff8260c81c164211156114f2578261034d60036103529501926113328454956fffffffffffffffffffffffffffffffff87169261133760048701986101f18a54916fffffffffffffffffffffffffffffffff831696879160801c89611eaf565b611ebc565b9361135a60068801916fffffffffffffffffffffffffffffffff83541690611eaf565b61137c60058901956fffffffffffffffffffffffffffffffff87541690611eaf565b808211156114e95761138d91611ebc565b935b8585116114e1575b6113b78573ffffffffffffffffffffffffffffffffffffffff9697611ebc565b60018901805460028b0180548c547fff00000000000000000000000000000000000000000000000000000000000000167403000000000000000000000000000000000000000017909c557fffffffffffffffffffffffff00000000000000000000000000000000000000008216909255919b9187169a99871699908a6114b5575b505f908190559081905581547fffffffffffffffff000000000000000000000000000000000000000000000000908116909255825490911690915560408051868152602081018b9052908101919091527f45f4f6dd69393ad7d292ec596cdff4f3ee2aed068e89216cb742423c948c476490606090a21683612544565b7fffffffffffffffffffffffff000000000000000000000000000000000000000081541690558d611438565b859450611397565b50505f9361138f565b7fd1312e9f000000000000000000000000000000000000000000000000000000005f5260045ffd5b346104145760607ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126104145760206104506044356024356004356124ae565b34610414575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261041457602060405162278d008152f35b346104145760206104506115ad6108ba36611dc8565b61206d565b34610414576115c036611d5d565b60ff5f95949392955c166103ec5760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d835f52600160205260405f209261160d846123c7565b611617338561243a565b67ffffffffffffffff821696876117565750505061172e57806107c6575b63ffffffff825460a81c1667ffffffffffffffff4216019067ffffffffffffffff8211610bb75782547fff000000000000ffffffff00ffffffffffffffffffffffffffffffffffffffff1660c883901b7effffffffffff000000000000000000000000000000000000000000000000001617740200000000000000000000000000000000000000001790925560408051948552602085019290925267ffffffffffffffff169083015233917f4fafc92b3f0c96431d5e848402b5529913d58ac2b781d301c22eb99d45103a6790606090a37fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c165f5d005b7f8baa579f000000000000000000000000000000000000000000000000000000005f5260045ffd5b6fffffffffffffffffffffffffffffffff859492939411610854576117a69183156118795773ffffffffffffffffffffffffffffffffffffffff600188015416915b6104fb6104f688888c611f0f565b15611812576006830180547fffffffffffffffff000000000000000000000000000000000000000000000000166fffffffffffffffffffffffffffffffff84161760809290921b77ffffffffffffffff0000000000000000000000000000000016919091179055611635565b6005830180547fffffffffffffffff000000000000000000000000000000000000000000000000166fffffffffffffffffffffffffffffffff84161760809290921b77ffffffffffffffff0000000000000000000000000000000016919091179055611635565b73ffffffffffffffffffffffffffffffffffffffff87541691611798565b346104145760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc360112610414576118ce611d3a565b60ff5f5c166103ec5760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d335f52600260205260405f2073ffffffffffffffffffffffffffffffffffffffff82165f5260205260405f2054908115611a4a57335f52600260205260405f2073ffffffffffffffffffffffffffffffffffffffff82165f526020525f604081205573ffffffffffffffffffffffffffffffffffffffff8116806040518481527ff7a40077ff7a04c7e61f6f26fb13774259ddf1b6bce9ecf26a8276cdd399268360203392a3611a1157505f80808093335af16119bb611e52565b50156119e9577fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c165f5d005b7f6d963f88000000000000000000000000000000000000000000000000000000005f5260045ffd5b90611a1d913390612336565b610352575b7f045c4b02000000000000000000000000000000000000000000000000000000005f5260045ffd5b7f969bf728000000000000000000000000000000000000000000000000000000005f5260045ffd5b34610414575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261041457602060405160018152f35b346104145760807ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc360112610414576020610450611ae7611d17565b611aef611cd2565b90604435906004356122c1565b346104145760a07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126104145760043560243567ffffffffffffffff81168103610414576044359060643567ffffffffffffffff811161041457611b66903690600401611ce9565b9360843567ffffffffffffffff811161041457611b87903690600401611ce9565b91909560ff5f5c166103ec5760017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f5c16175f5d815f526001602052611bef60405f2091611bd583611ec9565b611be0888886611f0f565b95611bea87611f6a565b611fb8565b925f9073ffffffffffffffffffffffffffffffffffffffff8354169173ffffffffffffffffffffffffffffffffffffffff86168381145f14611c7557505090611c6a9161035299611c4160019861206d565b928815611c6f575073ffffffffffffffffffffffffffffffffffffffff600186015416926120bb565b6120e7565b926120bb565b73ffffffffffffffffffffffffffffffffffffffff600186999594939901541603611caa5761035299611c41611c6a9461206d565b7fa7932e6a000000000000000000000000000000000000000000000000000000005f5260045ffd5b6064359067ffffffffffffffff8216820361041457565b9181601f840112156104145782359167ffffffffffffffff8311610414576020838186019501011161041457565b6024359073ffffffffffffffffffffffffffffffffffffffff8216820361041457565b6004359073ffffffffffffffffffffffffffffffffffffffff8216820361041457565b9060807ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc830112610414576004359160243567ffffffffffffffff811681036104145791604435916064359067ffffffffffffffff821161041457611dc491600401611ce9565b9091565b7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc6060910112610414576004359060243567ffffffffffffffff81168103610414579060443590565b90601f7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0910116810190811067ffffffffffffffff82111761122257604052565b3d15611eaa573d9067ffffffffffffffff82116112225760405191611e9f60207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f8401160184611e11565b82523d5f602084013e565b606090565b91908201809211610bb757565b91908203918211610bb757565b65ffffffffffff90611eda816124fd565b5460c81c164211611ee757565b7ff5417510000000000000000000000000000000000000000000000000000000005f5260045ffd5b9167ffffffffffffffff6040519260208401947fb1613380691d4e14a5f36be963292f12cdec744e45c197e62f6bf5c3ce9a2bf186526040850152166060830152608082015260808152611f6460a082611e11565b51902090565b611f72612765565b906040519060208201927f190100000000000000000000000000000000000000000000000000000000000084526022830152604282015260428152611f64606282611e11565b9160410361172e5760208101359160408201355f1a90601b82141580612062575b8015612039575b61172e576020935f9360809360405193845286840152356040830152606082015282805260015afa1561202e575f519073ffffffffffffffffffffffffffffffffffffffff82161561172e57565b6040513d5f823e3d90fd5b507f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a08411611fe0565b50601c821415611fd9565b6120b89060405160208101917fff63af3893f85bc49534e7dfaf1fef896faace709cff2a4fe0217c3534b2e65783526040820152604081526120b0606082611e11565b519020611f6a565b90565b73ffffffffffffffffffffffffffffffffffffffff9283926120dc92611fb8565b9216911603611caa57565b90939491926fffffffffffffffffffffffffffffffff831161085457156122035760050167ffffffffffffffff815460801c1667ffffffffffffffff861611156121db5780547fffffffffffffffff000000000000000000000000000000000000000000000000166fffffffffffffffffffffffffffffffff831617608086901b77ffffffffffffffff00000000000000000000000000000000161790557f9c1a09789433a444418fb5b04320328c958acf47c776e0bdfe8e9de4b1e94e679160409173ffffffffffffffffffffffffffffffffffffffff91905b67ffffffffffffffff84519716875260208701521693a3565b7fd8d01cf0000000000000000000000000000000000000000000000000000000005f5260045ffd5b60060167ffffffffffffffff815460801c1667ffffffffffffffff861611156121db5780547fffffffffffffffff000000000000000000000000000000000000000000000000166fffffffffffffffffffffffffffffffff831617608086901b77ffffffffffffffff00000000000000000000000000000000161790557f9c1a09789433a444418fb5b04320328c958acf47c776e0bdfe8e9de4b1e94e679160409173ffffffffffffffffffffffffffffffffffffffff91906121c2565b916120b89367ffffffffffffffff9173ffffffffffffffffffffffffffffffffffffffff6040519460208601967f10a85e7c2ed932883caef937608d286d43457f60e49f96c23ac5b3a0e34c2be48852604087015216606085015260808401521660a082015260a081526120b060c082611e11565b915f93926020926040519273ffffffffffffffffffffffffffffffffffffffff858501927fa9059cbb000000000000000000000000000000000000000000000000000000008452166024850152604484015260448352612397606484611e11565b60405195869351925af180923d916123ad575050565b816123b6575050565b601f91929350600190511491111690565b5460a01c60ff169060048210156111f5576001821461243657501561240e577fd4621ed2000000000000000000000000000000000000000000000000000000005f5260045ffd5b7f7d18f3da000000000000000000000000000000000000000000000000000000005f5260045ffd5b9050565b73ffffffffffffffffffffffffffffffffffffffff8082541692169182146124a7576001015473ffffffffffffffffffffffffffffffffffffffff16146124a3577fe438f8ce000000000000000000000000000000000000000000000000000000005f5260045ffd5b5f90565b5050600190565b906120b8926040519160208301937ffb2f3acd9f54ac91f60a5d861fbe19192a2d437e1a24b18de58219a8737537378552604084015260608301526080820152608081526120b060a082611e11565b5460a01c60ff169060048210156111f5576002821461243657501561240e577f71566347000000000000000000000000000000000000000000000000000000005f5260045ffd5b919081156125f55773ffffffffffffffffffffffffffffffffffffffff8316928282856125e7575f8093508092819261c350f15b1561258257505050565b602073ffffffffffffffffffffffffffffffffffffffff7f4e45da441832cf53bdaa69235704fc0575e68210f459ee1562911024b12967d5921692835f526002825260405f20855f52825260405f206125dc828254611eaf565b9055604051908152a3565b6125f092612336565b612578565b505050565b9190916fffffffffffffffffffffffffffffffff83116108545773ffffffffffffffffffffffffffffffffffffffff811615612759573461273157821561272b57803b15611a225761264b81612842565b905f8060405160208101907f23b872dd0000000000000000000000000000000000000000000000000000000082523360248201523060448201528760648201526064815261269a608482611e11565b519082855af16126a8611e52565b90159081156126da575b50611a22576126c090612842565b90808210611a22576126d191611ebc565b918211611a2257565b8091505180151591826126f0575b50505f6126b2565b602082109250908215612707575b50505f806126e8565b81925090602091810103126104145760200151801590811503610414575f806126fe565b505f9150565b7f42c0a68f000000000000000000000000000000000000000000000000000000005f5260045ffd5b50908034036127315790565b467f0000000000000000000000000000000000000000000000000000000000000000036127b0577f000000000000000000000000000000000000000000000000000000000000000090565b60405160208101907f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f82527fd5a819f6db6a62bb21b486ec4fa7b0e5191106ceb4bfda5285957aeaef5a09dc60408201527fc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc660608201524660808201523060a082015260a08152611f6460c082611e11565b5f809160405160208101907f70a0823100000000000000000000000000000000000000000000000000000000825230602482015260248152612885604482611e11565b51915afa612891611e52565b901580156128b2575b611a2257602081805181010312610414576020015190565b50602081511061289a56",
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
// the contract method with ID 0x4950181c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function close(bytes32 id, uint64 nonce, uint256 transferred, bytes sig) returns()
func (sluiceChannels *SluiceChannels) PackClose(id [32]byte, nonce uint64, transferred *big.Int, sig []byte) []byte {
	enc, err := sluiceChannels.abi.Pack("close", id, nonce, transferred, sig)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClose is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4950181c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function close(bytes32 id, uint64 nonce, uint256 transferred, bytes sig) returns()
func (sluiceChannels *SluiceChannels) TryPackClose(id [32]byte, nonce uint64, transferred *big.Int, sig []byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("close", id, nonce, transferred, sig)
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
// the contract method with ID 0xe98cdc62.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashBalanceProof(bytes32 id, uint64 nonce, uint256 transferred) view returns(bytes32)
func (sluiceChannels *SluiceChannels) PackHashBalanceProof(id [32]byte, nonce uint64, transferred *big.Int) []byte {
	enc, err := sluiceChannels.abi.Pack("hashBalanceProof", id, nonce, transferred)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashBalanceProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe98cdc62.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashBalanceProof(bytes32 id, uint64 nonce, uint256 transferred) view returns(bytes32)
func (sluiceChannels *SluiceChannels) TryPackHashBalanceProof(id [32]byte, nonce uint64, transferred *big.Int) ([]byte, error) {
	return sluiceChannels.abi.Pack("hashBalanceProof", id, nonce, transferred)
}

// UnpackHashBalanceProof is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe98cdc62.
//
// Solidity: function hashBalanceProof(bytes32 id, uint64 nonce, uint256 transferred) view returns(bytes32)
func (sluiceChannels *SluiceChannels) UnpackHashBalanceProof(data []byte) ([32]byte, error) {
	out, err := sluiceChannels.abi.Unpack("hashBalanceProof", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackHashEndorsement is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x678e936d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashEndorsement(bytes32 id, uint64 nonce, uint256 transferred) view returns(bytes32)
func (sluiceChannels *SluiceChannels) PackHashEndorsement(id [32]byte, nonce uint64, transferred *big.Int) []byte {
	enc, err := sluiceChannels.abi.Pack("hashEndorsement", id, nonce, transferred)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashEndorsement is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x678e936d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashEndorsement(bytes32 id, uint64 nonce, uint256 transferred) view returns(bytes32)
func (sluiceChannels *SluiceChannels) TryPackHashEndorsement(id [32]byte, nonce uint64, transferred *big.Int) ([]byte, error) {
	return sluiceChannels.abi.Pack("hashEndorsement", id, nonce, transferred)
}

// UnpackHashEndorsement is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x678e936d.
//
// Solidity: function hashEndorsement(bytes32 id, uint64 nonce, uint256 transferred) view returns(bytes32)
func (sluiceChannels *SluiceChannels) UnpackHashEndorsement(data []byte) ([32]byte, error) {
	out, err := sluiceChannels.abi.Unpack("hashEndorsement", data)
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

// PackUpdateProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf5e3bac5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateProof(bytes32 id, uint64 nonce, uint256 transferred, bytes sig) returns()
func (sluiceChannels *SluiceChannels) PackUpdateProof(id [32]byte, nonce uint64, transferred *big.Int, sig []byte) []byte {
	enc, err := sluiceChannels.abi.Pack("updateProof", id, nonce, transferred, sig)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateProof is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf5e3bac5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateProof(bytes32 id, uint64 nonce, uint256 transferred, bytes sig) returns()
func (sluiceChannels *SluiceChannels) TryPackUpdateProof(id [32]byte, nonce uint64, transferred *big.Int, sig []byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("updateProof", id, nonce, transferred, sig)
}

// PackUpdateProofFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x03c90e8f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateProofFor(bytes32 id, uint64 nonce, uint256 transferred, bytes sig, bytes receiverSig) returns()
func (sluiceChannels *SluiceChannels) PackUpdateProofFor(id [32]byte, nonce uint64, transferred *big.Int, sig []byte, receiverSig []byte) []byte {
	enc, err := sluiceChannels.abi.Pack("updateProofFor", id, nonce, transferred, sig, receiverSig)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateProofFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x03c90e8f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateProofFor(bytes32 id, uint64 nonce, uint256 transferred, bytes sig, bytes receiverSig) returns()
func (sluiceChannels *SluiceChannels) TryPackUpdateProofFor(id [32]byte, nonce uint64, transferred *big.Int, sig []byte, receiverSig []byte) ([]byte, error) {
	return sluiceChannels.abi.Pack("updateProofFor", id, nonce, transferred, sig, receiverSig)
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
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["Reentrancy"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackReentrancyError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["StaleNonce"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackStaleNonceError(raw[4:])
	}
	if bytes.Equal(raw[:4], sluiceChannels.abi.Errors["TokenTransferFailed"].ID.Bytes()[:4]) {
		return sluiceChannels.UnpackTokenTransferFailedError(raw[4:])
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
