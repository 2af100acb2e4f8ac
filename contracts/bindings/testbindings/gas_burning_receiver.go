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

// GasBurningReceiverMetaData contains all meta data concerning the GasBurningReceiver contract.
var GasBurningReceiverMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"channels_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"channels\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"forward\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"ret\",\"type\":\"bytes\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"spins\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
	ID:  "GasBurningReceiver",
	Bin: "0x60c03461008557601f61046838819003918201601f19168301916001600160401b038311848410176100895780849260209460405283398101031261008557516001600160a01b0381168103610085573360805260a0526040516103ca908161009e82396080518181816101310152610301015260a051818181610171015261036f0152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe608080604052600436101561007a575b50361561001a575f80fd5b5f547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff811461004d576001015f5561001a565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b5f3560e01c9081636881626a146103935750806379a4e450146103255780638da5cb5b146102b75763d948d468146100b2575f61000f565b60207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126102b35760043567ffffffffffffffff81116102b357366023820112156102b35780600401359067ffffffffffffffff82116102b35736602483830101116102b35773ffffffffffffffffffffffffffffffffffffffff7f000000000000000000000000000000000000000000000000000000000000000016330361028b575f60248192848060405193849301833781018381520390347f00000000000000000000000000000000000000000000000000000000000000005af13d15610283573d9067ffffffffffffffff821161025657604051917fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0603f81601f8401160116830183811067ffffffffffffffff8211176102565760405282523d5f602084013e5b1561024e5760406020917fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f835194859381855280519182918282880152018686015e5f85828601015201168101030190f35b602081519101fd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b6060906101fa565b7f30cd7471000000000000000000000000000000000000000000000000000000005f5260045ffd5b5f80fd5b346102b3575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126102b357602060405173ffffffffffffffffffffffffffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102b3575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126102b357602060405173ffffffffffffffffffffffffffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102b3575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126102b3576020905f548152f3",
}

// GasBurningReceiver is an auto generated Go binding around an Ethereum contract.
type GasBurningReceiver struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *GasBurningReceiver) GetABI() abi.ABI {
	return c.abi
}

// NewGasBurningReceiver creates a new instance of GasBurningReceiver.
func NewGasBurningReceiver() *GasBurningReceiver {
	parsed, err := GasBurningReceiverMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &GasBurningReceiver{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *GasBurningReceiver) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address channels_) returns()
func (gasBurningReceiver *GasBurningReceiver) PackConstructor(channels_ common.Address) []byte {
	enc, err := gasBurningReceiver.abi.Pack("", channels_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackChannels is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79a4e450.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function channels() view returns(address)
func (gasBurningReceiver *GasBurningReceiver) PackChannels() []byte {
	enc, err := gasBurningReceiver.abi.Pack("channels")
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
func (gasBurningReceiver *GasBurningReceiver) TryPackChannels() ([]byte, error) {
	return gasBurningReceiver.abi.Pack("channels")
}

// UnpackChannels is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x79a4e450.
//
// Solidity: function channels() view returns(address)
func (gasBurningReceiver *GasBurningReceiver) UnpackChannels(data []byte) (common.Address, error) {
	out, err := gasBurningReceiver.abi.Unpack("channels", data)
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
func (gasBurningReceiver *GasBurningReceiver) PackForward(data []byte) []byte {
	enc, err := gasBurningReceiver.abi.Pack("forward", data)
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
func (gasBurningReceiver *GasBurningReceiver) TryPackForward(data []byte) ([]byte, error) {
	return gasBurningReceiver.abi.Pack("forward", data)
}

// UnpackForward is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd948d468.
//
// Solidity: function forward(bytes data) payable returns(bytes ret)
func (gasBurningReceiver *GasBurningReceiver) UnpackForward(data []byte) ([]byte, error) {
	out, err := gasBurningReceiver.abi.Unpack("forward", data)
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
func (gasBurningReceiver *GasBurningReceiver) PackOwner() []byte {
	enc, err := gasBurningReceiver.abi.Pack("owner")
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
func (gasBurningReceiver *GasBurningReceiver) TryPackOwner() ([]byte, error) {
	return gasBurningReceiver.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (gasBurningReceiver *GasBurningReceiver) UnpackOwner(data []byte) (common.Address, error) {
	out, err := gasBurningReceiver.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSpins is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6881626a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function spins() view returns(uint256)
func (gasBurningReceiver *GasBurningReceiver) PackSpins() []byte {
	enc, err := gasBurningReceiver.abi.Pack("spins")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSpins is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6881626a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function spins() view returns(uint256)
func (gasBurningReceiver *GasBurningReceiver) TryPackSpins() ([]byte, error) {
	return gasBurningReceiver.abi.Pack("spins")
}

// UnpackSpins is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6881626a.
//
// Solidity: function spins() view returns(uint256)
func (gasBurningReceiver *GasBurningReceiver) UnpackSpins(data []byte) (*big.Int, error) {
	out, err := gasBurningReceiver.abi.Unpack("spins", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (gasBurningReceiver *GasBurningReceiver) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], gasBurningReceiver.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return gasBurningReceiver.UnpackNotOwnerError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// GasBurningReceiverNotOwner represents a NotOwner error raised by the GasBurningReceiver contract.
type GasBurningReceiverNotOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner()
func GasBurningReceiverNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x30cd74712f59d478562d48e2d35de830db72c60a63dd08ae59199eec990b5bc4")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner()
func (gasBurningReceiver *GasBurningReceiver) UnpackNotOwnerError(raw []byte) (*GasBurningReceiverNotOwner, error) {
	out := new(GasBurningReceiverNotOwner)
	if err := gasBurningReceiver.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}
