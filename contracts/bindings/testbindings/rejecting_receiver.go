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

// RejectingReceiverMetaData contains all meta data concerning the RejectingReceiver contract.
var RejectingReceiverMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"channels_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Rejected\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"accepting\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"channels\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"forward\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"ret\",\"type\":\"bytes\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bool\",\"name\":\"accepting_\",\"type\":\"bool\"}],\"name\":\"setAccepting\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
	ID:  "RejectingReceiver",
	Bin: "0x60c03461008c57601f6104fc38819003918201601f19168301916001600160401b038311848410176100905780849260209460405283398101031261008c57516001600160a01b038116810361008c573360805260a05260405161045790816100a582396080518181816101530152818161031f0152610396015260a05181818161019301526104330152f35b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe608080604052600436101561004e575b50361561001a575f80fd5b60ff5f54161561002657005b7fefde6dcf000000000000000000000000000000000000000000000000000000005f5260045ffd5b5f3560e01c90816379a4e450146103eb575080637fcd4ecf146103435780638da5cb5b146102d5578063d948d468146100d45763e6205b9114610091575f61000f565b346100d0575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126100d057602060ff5f54166040519015158152f35b5f80fd5b60207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126100d05760043567ffffffffffffffff81116100d057366023820112156100d05780600401359067ffffffffffffffff82116100d05736602483830101116100d05773ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001633036102ad575f60248192848060405193849301833781018381520390347f00000000000000000000000000000000000000000000000000000000000000005af13d156102a5573d9067ffffffffffffffff821161027857604051917fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0603f81601f8401160116830183811067ffffffffffffffff8211176102785760405282523d5f602084013e5b156102705760406020917fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f835194859381855280519182918282880152018686015e5f85828601015201168101030190f35b602081519101fd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b60609061021c565b7f30cd7471000000000000000000000000000000000000000000000000000000005f5260045ffd5b346100d0575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126100d057602060405173ffffffffffffffffffffffffffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346100d05760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126100d0576004358015158091036100d05773ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001633036102ad5760ff7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff005f54169116175f555f80f35b346100d0575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126100d05760209073ffffffffffffffffffffffffffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000168152f3",
}

// RejectingReceiver is an auto generated Go binding around an Ethereum contract.
type RejectingReceiver struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *RejectingReceiver) GetABI() abi.ABI {
	return c.abi
}

// NewRejectingReceiver creates a new instance of RejectingReceiver.
func NewRejectingReceiver() *RejectingReceiver {
	parsed, err := RejectingReceiverMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &RejectingReceiver{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *RejectingReceiver) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address channels_) returns()
func (rejectingReceiver *RejectingReceiver) PackConstructor(channels_ common.Address) []byte {
	enc, err := rejectingReceiver.abi.Pack("", channels_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAccepting is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe6205b91.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function accepting() view returns(bool)
func (rejectingReceiver *RejectingReceiver) PackAccepting() []byte {
	enc, err := rejectingReceiver.abi.Pack("accepting")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAccepting is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe6205b91.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function accepting() view returns(bool)
func (rejectingReceiver *RejectingReceiver) TryPackAccepting() ([]byte, error) {
	return rejectingReceiver.abi.Pack("accepting")
}

// UnpackAccepting is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe6205b91.
//
// Solidity: function accepting() view returns(bool)
func (rejectingReceiver *RejectingReceiver) UnpackAccepting(data []byte) (bool, error) {
	out, err := rejectingReceiver.abi.Unpack("accepting", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackChannels is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79a4e450.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function channels() view returns(address)
func (rejectingReceiver *RejectingReceiver) PackChannels() []byte {
	enc, err := rejectingReceiver.abi.Pack("channels")
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
func (rejectingReceiver *RejectingReceiver) TryPackChannels() ([]byte, error) {
	return rejectingReceiver.abi.Pack("channels")
}

// UnpackChannels is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x79a4e450.
//
// Solidity: function channels() view returns(address)
func (rejectingReceiver *RejectingReceiver) UnpackChannels(data []byte) (common.Address, error) {
	out, err := rejectingReceiver.abi.Unpack("channels", data)
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
func (rejectingReceiver *RejectingReceiver) PackForward(data []byte) []byte {
	enc, err := rejectingReceiver.abi.Pack("forward", data)
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
func (rejectingReceiver *RejectingReceiver) TryPackForward(data []byte) ([]byte, error) {
	return rejectingReceiver.abi.Pack("forward", data)
}

// UnpackForward is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd948d468.
//
// Solidity: function forward(bytes data) payable returns(bytes ret)
func (rejectingReceiver *RejectingReceiver) UnpackForward(data []byte) ([]byte, error) {
	out, err := rejectingReceiver.abi.Unpack("forward", data)
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
func (rejectingReceiver *RejectingReceiver) PackOwner() []byte {
	enc, err := rejectingReceiver.abi.Pack("owner")
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
func (rejectingReceiver *RejectingReceiver) TryPackOwner() ([]byte, error) {
	return rejectingReceiver.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (rejectingReceiver *RejectingReceiver) UnpackOwner(data []byte) (common.Address, error) {
	out, err := rejectingReceiver.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSetAccepting is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7fcd4ecf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setAccepting(bool accepting_) returns()
func (rejectingReceiver *RejectingReceiver) PackSetAccepting(accepting bool) []byte {
	enc, err := rejectingReceiver.abi.Pack("setAccepting", accepting)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetAccepting is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7fcd4ecf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setAccepting(bool accepting_) returns()
func (rejectingReceiver *RejectingReceiver) TryPackSetAccepting(accepting bool) ([]byte, error) {
	return rejectingReceiver.abi.Pack("setAccepting", accepting)
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (rejectingReceiver *RejectingReceiver) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], rejectingReceiver.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return rejectingReceiver.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], rejectingReceiver.abi.Errors["Rejected"].ID.Bytes()[:4]) {
		return rejectingReceiver.UnpackRejectedError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// RejectingReceiverNotOwner represents a NotOwner error raised by the RejectingReceiver contract.
type RejectingReceiverNotOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner()
func RejectingReceiverNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x30cd74712f59d478562d48e2d35de830db72c60a63dd08ae59199eec990b5bc4")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner()
func (rejectingReceiver *RejectingReceiver) UnpackNotOwnerError(raw []byte) (*RejectingReceiverNotOwner, error) {
	out := new(RejectingReceiverNotOwner)
	if err := rejectingReceiver.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RejectingReceiverRejected represents a Rejected error raised by the RejectingReceiver contract.
type RejectingReceiverRejected struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Rejected()
func RejectingReceiverRejectedErrorID() common.Hash {
	return common.HexToHash("0xefde6dcf3c2196c5705e848c09f0659d33de3ca0248be3ab40852d1bafc0f1e3")
}

// UnpackRejectedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Rejected()
func (rejectingReceiver *RejectingReceiver) UnpackRejectedError(raw []byte) (*RejectingReceiverRejected, error) {
	out := new(RejectingReceiverRejected)
	if err := rejectingReceiver.abi.UnpackIntoInterface(out, "Rejected", raw); err != nil {
		return nil, err
	}
	return out, nil
}
