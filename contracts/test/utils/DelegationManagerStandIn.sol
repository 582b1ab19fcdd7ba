// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev MetaMask Delegation Framework's structs, as DelegationManager takes them.
struct Caveat {
    address enforcer;
    bytes terms;
    bytes args;
}

struct Delegation {
    address delegate;
    address delegator;
    bytes32 authority;
    Caveat[] caveats;
    uint256 salt;
    bytes signature;
}

interface ICaveatHooks {
    function beforeAllHook(bytes calldata, bytes calldata, bytes32, bytes calldata, bytes32, address, address) external;
    function beforeHook(bytes calldata, bytes calldata, bytes32, bytes calldata, bytes32, address, address) external;
    function afterHook(bytes calldata, bytes calldata, bytes32, bytes calldata, bytes32, address, address) external;
    function afterAllHook(bytes calldata, bytes calldata, bytes32, bytes calldata, bytes32, address, address) external;
}

interface IRootDelegator {
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4);
    function executeFromExecutor(bytes32 mode, bytes calldata executionCalldata) external payable returns (bytes[] memory);
}

/// @title DelegationManagerStandIn
/// @notice A MOCK of MetaMask's DelegationManager for forge only: the same hashes, checks and call
/// order as DelegationManager.redeemDelegations (one batch), written from its source. The real
/// DelegationManager (bytecode from the npm package delegation-abis) runs in the integration tests
/// (test/integration/erc7710.test.ts); forge cannot load that bytecode from npm's JS modules.
contract DelegationManagerStandIn {
    bytes32 internal constant DELEGATION_TYPEHASH = keccak256(
        "Delegation(address delegate,address delegator,bytes32 authority,Caveat[] caveats,uint256 salt)Caveat(address enforcer,bytes terms)"
    );
    bytes32 internal constant CAVEAT_TYPEHASH = keccak256("Caveat(address enforcer,bytes terms)");
    bytes32 public constant ROOT_AUTHORITY = bytes32(type(uint256).max);
    address public constant ANY_DELEGATE = address(0xa11);

    error InvalidDelegate();
    error InvalidERC1271Signature();
    error InvalidEOASignature();
    error InvalidAuthority();

    function getDomainHash() public view returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("DelegationManager"),
                keccak256("1"),
                block.chainid,
                address(this)
            )
        );
    }

    function hashOf(Delegation memory d) public pure returns (bytes32) {
        bytes32[] memory c = new bytes32[](d.caveats.length);
        for (uint256 i; i < c.length; ++i) {
            c[i] = keccak256(abi.encode(CAVEAT_TYPEHASH, d.caveats[i].enforcer, keccak256(d.caveats[i].terms)));
        }
        return keccak256(
            abi.encode(DELEGATION_TYPEHASH, d.delegate, d.delegator, d.authority, keccak256(abi.encodePacked(c)), d.salt)
        );
    }

    function typedHashOf(Delegation memory d) public view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", getDomainHash(), hashOf(d)));
    }

    function redeemDelegations(bytes[] calldata contexts, bytes32[] calldata modes, bytes[] calldata calldatas) external {
        for (uint256 b; b < contexts.length; ++b) {
            _redeem(abi.decode(contexts[b], (Delegation[])), modes[b], calldatas[b]);
        }
    }

    function _redeem(Delegation[] memory ds, bytes32 mode, bytes calldata execution) internal {
        if (ds[0].delegate != msg.sender && ds[0].delegate != ANY_DELEGATE) revert InvalidDelegate();
        bytes32[] memory hashes = new bytes32[](ds.length);
        for (uint256 i; i < ds.length; ++i) {
            hashes[i] = hashOf(ds[i]);
            bytes32 typed = keccak256(abi.encodePacked("\x19\x01", getDomainHash(), hashes[i]));
            if (ds[i].delegator.code.length == 0) {
                bytes memory sig = ds[i].signature;
                bytes32 r;
                bytes32 s;
                uint8 v;
                assembly ("memory-safe") {
                    r := mload(add(sig, 32))
                    s := mload(add(sig, 64))
                    v := byte(0, mload(add(sig, 96)))
                }
                if (sig.length != 65 || ecrecover(typed, v, r, s) != ds[i].delegator) revert InvalidEOASignature();
            } else if (IRootDelegator(ds[i].delegator).isValidSignature(typed, ds[i].signature) != 0x1626ba7e) {
                revert InvalidERC1271Signature();
            }
        }
        for (uint256 i; i < ds.length; ++i) {
            if (i != ds.length - 1) {
                if (ds[i].authority != hashes[i + 1]) revert InvalidAuthority();
                address next = ds[i + 1].delegate;
                if (next != ANY_DELEGATE && ds[i].delegator != next) revert InvalidDelegate();
            } else if (ds[i].authority != ROOT_AUTHORITY) {
                revert InvalidAuthority();
            }
        }
        for (uint256 i; i < ds.length; ++i) {
            for (uint256 c; c < ds[i].caveats.length; ++c) {
                Caveat memory cv = ds[i].caveats[c];
                ICaveatHooks(cv.enforcer).beforeAllHook(cv.terms, cv.args, mode, execution, hashes[i], ds[i].delegator, msg.sender);
            }
        }
        for (uint256 i; i < ds.length; ++i) {
            for (uint256 c; c < ds[i].caveats.length; ++c) {
                Caveat memory cv = ds[i].caveats[c];
                ICaveatHooks(cv.enforcer).beforeHook(cv.terms, cv.args, mode, execution, hashes[i], ds[i].delegator, msg.sender);
            }
        }
        IRootDelegator(ds[ds.length - 1].delegator).executeFromExecutor(mode, execution);
        for (uint256 i = ds.length; i > 0; --i) {
            for (uint256 c = ds[i - 1].caveats.length; c > 0; --c) {
                Caveat memory cv = ds[i - 1].caveats[c - 1];
                ICaveatHooks(cv.enforcer).afterHook(cv.terms, cv.args, mode, execution, hashes[i - 1], ds[i - 1].delegator, msg.sender);
            }
        }
    }
}
