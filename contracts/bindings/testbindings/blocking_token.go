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

// BlockingTokenMetaData contains all meta data concerning the BlockingToken contract.
var BlockingTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"Blocked\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InsufficientAllowance\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InsufficientBalance\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"blocked\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"blocked_\",\"type\":\"bool\"}],\"name\":\"setBlocked\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "BlockingToken",
	Bin: "0x60806040523461032857604080519081016001600160401b03811182821017610233576040908152600e82526d213637b1b5b4b733902a37b5b2b760911b602083015280519081016001600160401b03811182821017610233576040526003815262424c4b60e81b602082015281516001600160401b038111610233575f54600181811c9116801561031e575b602082101461021557601f81116102b1575b50602092601f821160011461025257928192935f92610247575b50508160011b915f199060031b1c1916175f555b80516001600160401b03811161023357600154600181811c91168015610229575b602082101461021557601f81116101a7575b50602091601f8211600114610147579181925f9261013c575b50508160011b915f199060031b1c1916176001555b604051610b07908161032d8239f35b015190505f80610118565b601f1982169260015f52805f20915f5b85811061018f57508360019510610177575b505050811b0160015561012d565b01515f1960f88460031b161c191690555f8080610169565b91926020600181928685015181550194019201610157565b818111156100ff5760015f52601f820160051c7fb10e2d527612073b26eecdfd717e6a320cf44b4afac2b0732d9fcbe2b7fa0cf66020841061020d575b81601f9101920160051c03905f5b8281106102005750506100ff565b5f828201556001016101f2565b5f91506101e4565b634e487b7160e01b5f52602260045260245ffd5b90607f16906100ed565b634e487b7160e01b5f52604160045260245ffd5b015190505f806100b8565b601f198216935f8052805f20915f5b8681106102995750836001959610610281575b505050811b015f556100cc565b01515f1960f88460031b161c191690555f8080610274565b91926020600181928685015181550194019201610261565b8181111561009e575f8052601f820160051c7f290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e56360208410610316575b81601f9101920160051c03905f5b82811061030957505061009e565b5f828201556001016102fb565b5f91506102ed565b90607f169061008c565b5f80fdfe60806040526004361015610011575f80fd5b5f3560e01c80620af2a11461085657806306fdde0314610723578063095ea7b31461068057806318160ddd1461064557806323b872dd1461051a578063313ce567146104e157806340c10f191461043b57806370a08231146103d857806395d89b41146101e3578063a9059cbb14610194578063dd62ed3e146101085763e59621951461009c575f80fd5b346101045760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126101045773ffffffffffffffffffffffffffffffffffffffff6100e86108ec565b165f526005602052602060ff60405f2054166040519015158152f35b5f80fd5b346101045760407ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126101045761013f6108ec565b73ffffffffffffffffffffffffffffffffffffffff61015c61090f565b91165f52600460205273ffffffffffffffffffffffffffffffffffffffff60405f2091165f52602052602060405f2054604051908152f35b346101045760407ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc360112610104576101d86101ce6108ec565b60243590336109c1565b602060405160018152f35b34610104575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc360112610104576040515f600154908160011c600183169283156103ce575b6020821084146103a157818552849390811561034157506001146102c7575b5003601f017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe01681019067ffffffffffffffff82118183101761029a57604082905281906102969082610932565b0390f35b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b60015f90815291507fb10e2d527612073b26eecdfd717e6a320cf44b4afac2b0732d9fcbe2b7fa0cf65b81831061032557505081016020017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0610248565b60209193508060019154838588010152019101909183926102f1565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff001660208581019190915291151560051b840190910191507fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe09050610248565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd5b90607f1690610229565b346101045760207ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126101045773ffffffffffffffffffffffffffffffffffffffff6104246108ec565b165f526003602052602060405f2054604051908152f35b346101045760407ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc360112610104576104726108ec565b5f7fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef602073ffffffffffffffffffffffffffffffffffffffff602435946104bb8660025461097a565b600255169384845260038252604084206104d682825461097a565b9055604051908152a3005b34610104575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc36011261010457602060405160128152f35b346101045760607ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc360112610104576105516108ec565b61055961090f565b6044359073ffffffffffffffffffffffffffffffffffffffff831692835f52600460205260405f2073ffffffffffffffffffffffffffffffffffffffff33165f5260205260405f20549383851061061d5784847fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff6101d897036105df575b5050506109c1565b6105e8916109b4565b905f52600460205260405f2073ffffffffffffffffffffffffffffffffffffffff33165f5260205260405f20558480846105d7565b7f13be252b000000000000000000000000000000000000000000000000000000005f5260045ffd5b34610104575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc360112610104576020600254604051908152f35b346101045760407ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc360112610104576106b76108ec565b73ffffffffffffffffffffffffffffffffffffffff60243591335f52600460205260405f208282165f526020528260405f205560405192835216907f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b92560203392a3602060405160018152f35b34610104575f7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc360112610104576040515f5f54908160011c6001831692831561084c575b6020821084146103a157818552849390811561034157506001146107d4575003601f017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe01681019067ffffffffffffffff82118183101761029a57604082905281906102969082610932565b5f80805291507f290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e5635b81831061083057505081016020017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0610248565b60209193508060019154838588010152019101909183926107fc565b90607f1690610768565b346101045760407ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc3601126101045761088d6108ec565b602435908115158092036101045773ffffffffffffffffffffffffffffffffffffffff165f52600560205260405f209060ff7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff0083541691161790555f80f35b6004359073ffffffffffffffffffffffffffffffffffffffff8216820361010457565b6024359073ffffffffffffffffffffffffffffffffffffffff8216820361010457565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f602060409481855280519182918282880152018686015e5f8582860101520116010190565b9190820180921161098757565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b9190820391821161098757565b73ffffffffffffffffffffffffffffffffffffffff1690815f52600560205260ff60405f205416610adb5773ffffffffffffffffffffffffffffffffffffffff1691825f52600560205260ff60405f205416610aaf57815f5260036020528060405f205410610a875760207fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef91835f526003825260405f20610a648282546109b4565b9055845f526003825260405f20610a7c82825461097a565b9055604051908152a3565b7ff4d678b8000000000000000000000000000000000000000000000000000000005f5260045ffd5b827f75e91ce7000000000000000000000000000000000000000000000000000000005f5260045260245ffd5b507f75e91ce7000000000000000000000000000000000000000000000000000000005f5260045260245ffd",
}

// BlockingToken is an auto generated Go binding around an Ethereum contract.
type BlockingToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *BlockingToken) GetABI() abi.ABI {
	return c.abi
}

// NewBlockingToken creates a new instance of BlockingToken.
func NewBlockingToken() *BlockingToken {
	parsed, err := BlockingTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &BlockingToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *BlockingToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (blockingToken *BlockingToken) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := blockingToken.abi.Pack("allowance", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (blockingToken *BlockingToken) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return blockingToken.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (blockingToken *BlockingToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := blockingToken.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (blockingToken *BlockingToken) PackApprove(spender common.Address, amount *big.Int) []byte {
	enc, err := blockingToken.abi.Pack("approve", spender, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (blockingToken *BlockingToken) TryPackApprove(spender common.Address, amount *big.Int) ([]byte, error) {
	return blockingToken.abi.Pack("approve", spender, amount)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (blockingToken *BlockingToken) UnpackApprove(data []byte) (bool, error) {
	out, err := blockingToken.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (blockingToken *BlockingToken) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := blockingToken.abi.Pack("balanceOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (blockingToken *BlockingToken) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return blockingToken.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (blockingToken *BlockingToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := blockingToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBlocked is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5962195.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function blocked(address ) view returns(bool)
func (blockingToken *BlockingToken) PackBlocked(arg0 common.Address) []byte {
	enc, err := blockingToken.abi.Pack("blocked", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBlocked is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5962195.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function blocked(address ) view returns(bool)
func (blockingToken *BlockingToken) TryPackBlocked(arg0 common.Address) ([]byte, error) {
	return blockingToken.abi.Pack("blocked", arg0)
}

// UnpackBlocked is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe5962195.
//
// Solidity: function blocked(address ) view returns(bool)
func (blockingToken *BlockingToken) UnpackBlocked(data []byte) (bool, error) {
	out, err := blockingToken.abi.Unpack("blocked", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (blockingToken *BlockingToken) PackDecimals() []byte {
	enc, err := blockingToken.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (blockingToken *BlockingToken) TryPackDecimals() ([]byte, error) {
	return blockingToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (blockingToken *BlockingToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := blockingToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (blockingToken *BlockingToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := blockingToken.abi.Pack("mint", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (blockingToken *BlockingToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return blockingToken.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (blockingToken *BlockingToken) PackName() []byte {
	enc, err := blockingToken.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (blockingToken *BlockingToken) TryPackName() ([]byte, error) {
	return blockingToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (blockingToken *BlockingToken) UnpackName(data []byte) (string, error) {
	out, err := blockingToken.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackSetBlocked is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x000af2a1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setBlocked(address account, bool blocked_) returns()
func (blockingToken *BlockingToken) PackSetBlocked(account common.Address, blocked bool) []byte {
	enc, err := blockingToken.abi.Pack("setBlocked", account, blocked)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetBlocked is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x000af2a1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setBlocked(address account, bool blocked_) returns()
func (blockingToken *BlockingToken) TryPackSetBlocked(account common.Address, blocked bool) ([]byte, error) {
	return blockingToken.abi.Pack("setBlocked", account, blocked)
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (blockingToken *BlockingToken) PackSymbol() []byte {
	enc, err := blockingToken.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (blockingToken *BlockingToken) TryPackSymbol() ([]byte, error) {
	return blockingToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (blockingToken *BlockingToken) UnpackSymbol(data []byte) (string, error) {
	out, err := blockingToken.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (blockingToken *BlockingToken) PackTotalSupply() []byte {
	enc, err := blockingToken.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (blockingToken *BlockingToken) TryPackTotalSupply() ([]byte, error) {
	return blockingToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (blockingToken *BlockingToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := blockingToken.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (blockingToken *BlockingToken) PackTransfer(to common.Address, amount *big.Int) []byte {
	enc, err := blockingToken.abi.Pack("transfer", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (blockingToken *BlockingToken) TryPackTransfer(to common.Address, amount *big.Int) ([]byte, error) {
	return blockingToken.abi.Pack("transfer", to, amount)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (blockingToken *BlockingToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := blockingToken.abi.Unpack("transfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (blockingToken *BlockingToken) PackTransferFrom(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := blockingToken.abi.Pack("transferFrom", from, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (blockingToken *BlockingToken) TryPackTransferFrom(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return blockingToken.abi.Pack("transferFrom", from, to, amount)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (blockingToken *BlockingToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := blockingToken.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// BlockingTokenApproval represents a Approval event raised by the BlockingToken contract.
type BlockingTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const BlockingTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (BlockingTokenApproval) ContractEventName() string {
	return BlockingTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (blockingToken *BlockingToken) UnpackApprovalEvent(log *types.Log) (*BlockingTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != blockingToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(BlockingTokenApproval)
	if len(log.Data) > 0 {
		if err := blockingToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range blockingToken.abi.Events[event].Inputs {
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

// BlockingTokenTransfer represents a Transfer event raised by the BlockingToken contract.
type BlockingTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const BlockingTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (BlockingTokenTransfer) ContractEventName() string {
	return BlockingTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (blockingToken *BlockingToken) UnpackTransferEvent(log *types.Log) (*BlockingTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != blockingToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(BlockingTokenTransfer)
	if len(log.Data) > 0 {
		if err := blockingToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range blockingToken.abi.Events[event].Inputs {
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
func (blockingToken *BlockingToken) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], blockingToken.abi.Errors["Blocked"].ID.Bytes()[:4]) {
		return blockingToken.UnpackBlockedError(raw[4:])
	}
	if bytes.Equal(raw[:4], blockingToken.abi.Errors["InsufficientAllowance"].ID.Bytes()[:4]) {
		return blockingToken.UnpackInsufficientAllowanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], blockingToken.abi.Errors["InsufficientBalance"].ID.Bytes()[:4]) {
		return blockingToken.UnpackInsufficientBalanceError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// BlockingTokenBlocked represents a Blocked error raised by the BlockingToken contract.
type BlockingTokenBlocked struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Blocked(address account)
func BlockingTokenBlockedErrorID() common.Hash {
	return common.HexToHash("0x75e91ce73c1d3352d8dd3610443539cd33dfe13b1de8f8caae54ec26dd0dc9cb")
}

// UnpackBlockedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Blocked(address account)
func (blockingToken *BlockingToken) UnpackBlockedError(raw []byte) (*BlockingTokenBlocked, error) {
	out := new(BlockingTokenBlocked)
	if err := blockingToken.abi.UnpackIntoInterface(out, "Blocked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// BlockingTokenInsufficientAllowance represents a InsufficientAllowance error raised by the BlockingToken contract.
type BlockingTokenInsufficientAllowance struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientAllowance()
func BlockingTokenInsufficientAllowanceErrorID() common.Hash {
	return common.HexToHash("0x13be252bc8f22c3de689f75d88d90b4c4aeb9cd39d50c39ae82df3b19f85cf73")
}

// UnpackInsufficientAllowanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientAllowance()
func (blockingToken *BlockingToken) UnpackInsufficientAllowanceError(raw []byte) (*BlockingTokenInsufficientAllowance, error) {
	out := new(BlockingTokenInsufficientAllowance)
	if err := blockingToken.abi.UnpackIntoInterface(out, "InsufficientAllowance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// BlockingTokenInsufficientBalance represents a InsufficientBalance error raised by the BlockingToken contract.
type BlockingTokenInsufficientBalance struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientBalance()
func BlockingTokenInsufficientBalanceErrorID() common.Hash {
	return common.HexToHash("0xf4d678b8ce6b5157126b1484a53523762a93571537a7d5ae97d8014a44715c94")
}

// UnpackInsufficientBalanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientBalance()
func (blockingToken *BlockingToken) UnpackInsufficientBalanceError(raw []byte) (*BlockingTokenInsufficientBalance, error) {
	out := new(BlockingTokenInsufficientBalance)
	if err := blockingToken.abi.UnpackIntoInterface(out, "InsufficientBalance", raw); err != nil {
		return nil, err
	}
	return out, nil
}
