// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package testbindings

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

// ReentrantReceiverMetaData contains all meta data concerning the ReentrantReceiver contract.
var ReentrantReceiverMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"channels_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"succeeded\",\"type\":\"bool\"},{\"indexed\":false,\"internalType\":\"bytes4\",\"name\":\"errorSelector\",\"type\":\"bytes4\"}],\"name\":\"ReentryAttempted\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"arm\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"channels\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"forward\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"ret\",\"type\":\"bytes\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
	ID:  "ReentrantReceiver",
	Bin: "0x60c03461009157601f6107d938819003918201601f19168301916001600160401b038311848410176100955780849260209460405283398101031261009157516001600160a01b0381168103610091573360805260a05260405161072f90816100aa8239608051818181607d0152818161018d01526103c4015260a05181818160ba0152818161043001526106200152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610024575b50361561001a575f80fd5b6100226105b2565b005b5f3560e01c90816379a4e450146103e8575080638da5cb5b1461037a578063b0fb5363146101685763d948d4681461005c575f61000f565b61006536610454565b9073ffffffffffffffffffffffffffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000163303610140575f82819281604051928392833781018381520390347f00000000000000000000000000000000000000000000000000000000000000005af16100e3610555565b90156101385760406020917fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f835194859381855280519182918282880152018686015e5f85828601015201168101030190f35b602081519101fd5b7f30cd7471000000000000000000000000000000000000000000000000000000005f5260045ffd5b346103765761017636610454565b73ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001633036101405767ffffffffffffffff8111610349576101cc5f546104c3565b601f81116102df575b505f601f821160011461022b5781925f92610220575b50507fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8260011b9260031b1c1916175f555f80f35b0135905082806101eb565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08216927f290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563915f5b8581106102c75750836001951061028f575b505050811b015f55005b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff60f88560031b161c19910135169055828080610285565b90926020600181928686013581550194019101610273565b818111156101d557601f820160051c9060208310610341575b601f82910160051c03905f5b8281106103125750506101d5565b5f8282017f290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e5630155600101610304565b5f91506102f8565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b5f80fd5b34610376575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261037657602060405173ffffffffffffffffffffffffffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b34610376575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126103765760209073ffffffffffffffffffffffffffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b9060207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc8301126103765760043567ffffffffffffffff811161037657826023820112156103765780600401359267ffffffffffffffff84116103765760248483010111610376576024019190565b90600182811c9216801561050a575b60208310146104dd57565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd5b91607f16916104d2565b90601f7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0910116810190811067ffffffffffffffff82111761034957604052565b3d156105ad573d9067ffffffffffffffff821161034957604051916105a260207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f8401160184610514565b82523d5f602084013e565b606090565b6040515f905f5491816105c4846104c3565b9182825260208201946001811690815f146106f55750600114610698575b6105ee92500382610514565b51908115610694575f807feb770b70eb8c1217dc3c00bd1e19e8c6fb149dcd4f5d31af9420f54cd8a7a37693604093827f00000000000000000000000000000000000000000000000000000000000000005af17fffffffff0000000000000000000000000000000000000000000000000000000061066a610555565b5f90600481511015610688575b5083519215158352166020820152a1565b6020915001515f610677565b5050565b505f80805290917f290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e5635b8183106106d95750509060206105ee928201016105e2565b60209193508060019154838588010152019101909183926106c1565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00168652506105ee92151560051b820160200190506105e256",
}

// ReentrantReceiver is an auto generated Go binding around an Ethereum contract.
type ReentrantReceiver struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ReentrantReceiver) GetABI() abi.ABI {
	return c.abi
}

// NewReentrantReceiver creates a new instance of ReentrantReceiver.
func NewReentrantReceiver() *ReentrantReceiver {
	parsed, err := ReentrantReceiverMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ReentrantReceiver{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ReentrantReceiver) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address channels_) returns()
func (reentrantReceiver *ReentrantReceiver) PackConstructor(channels_ common.Address) []byte {
	enc, err := reentrantReceiver.abi.Pack("", channels_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackArm is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb0fb5363.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function arm(bytes data) returns()
func (reentrantReceiver *ReentrantReceiver) PackArm(data []byte) []byte {
	enc, err := reentrantReceiver.abi.Pack("arm", data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackArm is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb0fb5363.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function arm(bytes data) returns()
func (reentrantReceiver *ReentrantReceiver) TryPackArm(data []byte) ([]byte, error) {
	return reentrantReceiver.abi.Pack("arm", data)
}

// PackChannels is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79a4e450.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function channels() view returns(address)
func (reentrantReceiver *ReentrantReceiver) PackChannels() []byte {
	enc, err := reentrantReceiver.abi.Pack("channels")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChannels is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79a4e450.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function channels() view returns(address)
func (reentrantReceiver *ReentrantReceiver) TryPackChannels() ([]byte, error) {
	return reentrantReceiver.abi.Pack("channels")
}

// UnpackChannels is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x79a4e450.
//
// Solidity: function channels() view returns(address)
func (reentrantReceiver *ReentrantReceiver) UnpackChannels(data []byte) (common.Address, error) {
	out, err := reentrantReceiver.abi.Unpack("channels", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackForward is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd948d468.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function forward(bytes data) payable returns(bytes ret)
func (reentrantReceiver *ReentrantReceiver) PackForward(data []byte) []byte {
	enc, err := reentrantReceiver.abi.Pack("forward", data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackForward is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd948d468.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function forward(bytes data) payable returns(bytes ret)
func (reentrantReceiver *ReentrantReceiver) TryPackForward(data []byte) ([]byte, error) {
	return reentrantReceiver.abi.Pack("forward", data)
}

// UnpackForward is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd948d468.
//
// Solidity: function forward(bytes data) payable returns(bytes ret)
func (reentrantReceiver *ReentrantReceiver) UnpackForward(data []byte) ([]byte, error) {
	out, err := reentrantReceiver.abi.Unpack("forward", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (reentrantReceiver *ReentrantReceiver) PackOwner() []byte {
	enc, err := reentrantReceiver.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (reentrantReceiver *ReentrantReceiver) TryPackOwner() ([]byte, error) {
	return reentrantReceiver.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (reentrantReceiver *ReentrantReceiver) UnpackOwner(data []byte) (common.Address, error) {
	out, err := reentrantReceiver.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// ReentrantReceiverReentryAttempted represents a ReentryAttempted event raised by the ReentrantReceiver contract.
type ReentrantReceiverReentryAttempted struct {
	Succeeded     bool
	ErrorSelector [4]byte
	Raw           *types.Log // Blockchain specific contextual infos
}

const ReentrantReceiverReentryAttemptedEventName = "ReentryAttempted"

// ContractEventName returns the user-defined event name.
func (ReentrantReceiverReentryAttempted) ContractEventName() string {
	return ReentrantReceiverReentryAttemptedEventName
}

// UnpackReentryAttemptedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ReentryAttempted(bool succeeded, bytes4 errorSelector)
func (reentrantReceiver *ReentrantReceiver) UnpackReentryAttemptedEvent(log *types.Log) (*ReentrantReceiverReentryAttempted, error) {
	event := "ReentryAttempted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != reentrantReceiver.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ReentrantReceiverReentryAttempted)
	if len(log.Data) > 0 {
		if err := reentrantReceiver.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range reentrantReceiver.abi.Events[event].Inputs {
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
func (reentrantReceiver *ReentrantReceiver) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], reentrantReceiver.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return reentrantReceiver.UnpackNotOwnerError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// ReentrantReceiverNotOwner represents a NotOwner error raised by the ReentrantReceiver contract.
type ReentrantReceiverNotOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner()
func ReentrantReceiverNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x30cd74712f59d478562d48e2d35de830db72c60a63dd08ae59199eec990b5bc4")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner()
func (reentrantReceiver *ReentrantReceiver) UnpackNotOwnerError(raw []byte) (*ReentrantReceiverNotOwner, error) {
	out := new(ReentrantReceiverNotOwner)
	if err := reentrantReceiver.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}
