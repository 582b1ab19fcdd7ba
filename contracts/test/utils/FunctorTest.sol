// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test, Vm} from "forge-std/Test.sol";
import {EntryPoint} from "account-abstraction/core/EntryPoint.sol";
import {IEntryPoint} from "account-abstraction/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "account-abstraction/interfaces/PackedUserOperation.sol";

import {KeyStore} from "../../src/KeyStore.sol";
import {FunctorValidator} from "../../src/FunctorValidator.sol";
import {FunctorPolicyHook} from "../../src/FunctorPolicyHook.sol";
import {FunctorDeployer} from "../../src/FunctorDeployer.sol";
import {FunctorPolicyConfig} from "../../src/FunctorPolicyConfig.sol";
import {FunctorPolicyGeneral} from "../../src/FunctorPolicyGeneral.sol";
import {FunctorMode} from "../../src/lib/FunctorMode.sol";
import {Execution} from "../../src/lib/ExecutionParser.sol";
import {
    CallPermission,
    SpendLimit,
    RateLimit,
    GasPolicy,
    Policies,
    PeriodKind,
    NATIVE_TOKEN
} from "../../src/lib/PolicyTypes.sol";

import {TestAccount} from "./TestAccount.sol";
import {TestToken} from "./TestToken.sol";
import {V1Modules} from "../differential/V1Modules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @dev What the tests call on the module that validates a key's UserOps: FunctorPolicyHook on src
/// (one module for validator and hook), FunctorValidator on the v1 reference (two addresses).
interface IUserOpValidator {
    function validateUserOp(PackedUserOperation calldata op, bytes32 userOpHash) external payable returns (uint256);
    function gasSpent(uint176 keyId, address account) external view returns (uint256);
    function isValidSignatureWithSender(address sender, bytes32 hash, bytes calldata data)
        external
        view
        returns (bytes4);
    function isModuleType(uint256 typeId) external view returns (bool);
    function isInitialized(address account) external view returns (bool);
}

/// @dev Shared set-up: the real EntryPoint v0.7 (compiled from @account-abstraction/contracts),
/// the Functor contracts as they deploy, a 6-decimals USDC, and helpers to grant keys and to build,
/// sign and send session-key UserOps.
abstract contract FunctorTest is Test {
    EntryPoint internal ep;
    /// @dev The KeyStore keys are registered in: on src the module itself (KeyStoreState: the hook
    /// holds the KeyStore's storage and runs its code), on the v1 reference a KeyStore of its own.
    KeyStore internal keyStore;
    /// @dev The KeyStore's code: on src the contract the module's fallback runs (through
    /// FunctorPolicyConfig's) on its storage; on v1 the same as keyStore.
    KeyStore internal keyStoreCode;
    FunctorPolicyHook internal hook;
    /// @dev The hook's configuration and reads (FunctorPolicyConfig's ABI at the hook's address).
    FunctorPolicyConfig internal hookConfig;
    /// @dev FunctorValidator: on src the ERC-7710 executor alone; on v1 also the UserOp validator.
    FunctorValidator internal validator;
    /// @dev The module that validates UserOps (see IUserOpValidator): src's hook, v1's validator.
    IUserOpValidator internal opValidator;
    /// @dev The hook's general path (FunctorPolicyGeneral); zero on the v1 reference, which has none.
    address internal generalCode;
    TestToken internal usdc;
    TestToken internal dai;
    /// @dev True when setUp deployed the frozen v1 reference's modules (_deployV1Modules).
    bool internal onV1;

    uint256 internal ownerPk = 0xA11CE;
    address internal owner;
    address payable internal beneficiary = payable(address(0xBEEF));
    address internal alice = address(0xA1);
    address internal bob = address(0xB0B);

    /// @dev The hook role's install data (FunctorPolicyConfig.onInstall); v1's hook ignores it.
    bytes internal constant AS_HOOK = hex"04";

    uint256 internal constant USDC = 1e6;
    uint32 internal constant DAY = 1 days;

    function setUp() public virtual {
        vm.warp(1_750_000_000);
        owner = vm.addr(ownerPk);
        ep = new EntryPoint();
        _deployModules();
        hookConfig = FunctorPolicyConfig(address(hook));
        usdc = new TestToken("USD Coin", "USDC", 6);
        dai = new TestToken("Dai", "DAI", 18);
    }

    // ------------------------------------------------------------------ src or the v1 reference

    /// @dev The hook and validator setUp deploys: src's. A suite's `...V1Test` subclass overrides it
    /// with _deployV1Modules (the override keeps src's modules out of its bytecode).
    function _deployModules() internal virtual {
        keyStoreCode = new KeyStore();
        FunctorDeployer d = new FunctorDeployer(
            keyStoreCode,
            address(ep),
            new FunctorPolicyConfig(keyStoreCode, address(ep)),
            new FunctorPolicyGeneral(keyStoreCode, address(ep))
        );
        hook = d.hook();
        keyStore = KeyStore(address(hook));
        validator = d.validator();
        opValidator = IUserOpValidator(address(hook));
        generalCode = address(d.general());
    }

    /// @dev The frozen v1 reference's hook and validator (test/differential/V1Modules.sol, built
    /// from commit 99ce67f) in place of src's, on a KeyStore of their own (src's KeyStore code,
    /// deployed on its own, as v1 had it), the same EntryPoint and tokens: the suite then runs
    /// unchanged on v1.
    function _deployV1Modules() internal {
        keyStore = new KeyStore();
        keyStoreCode = keyStore;
        V1Modules.Deployed memory ref = V1Modules.deploy(keyStore, address(ep));
        hook = ref.hook;
        validator = ref.validator;
        opValidator = IUserOpValidator(address(ref.validator));
        onV1 = true;
    }

    /// @dev Marks a test that holds on src only, because src changed on purpose after v1 (`why`;
    /// each is listed in contracts/README.md, "The attack suites run on the reference too"): forge
    /// reports it skipped on v1, with the reason.
    function _srcOnly(string memory why) internal {
        vm.skip(onV1, string.concat("src only: ", why));
    }

    // ------------------------------------------------------------------ accounts

    function _newAccount(TestAccount.Style style) internal returns (TestAccount a) {
        a = new TestAccount(address(ep), owner, style);
        vm.deal(address(a), 100 ether);
        usdc.mint(address(a), 10_000 * USDC);
        vm.startPrank(address(a));
        a.installModule(1, address(opValidator), "");
        a.installModule(4, address(hook), AS_HOOK);
        // the module writes its terms cache in the KeyStore (v1's never does)
        keyStore.setTermsWriter(address(hook));
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ policies

    function _gas() internal pure returns (GasPolicy memory) {
        return GasPolicy({
            maxFeePerGas: 100 gwei, maxCostPerOp: 0.01 ether, opCeiling: 1_000, budget: 0, paymaster: address(0)
        });
    }

    /// @dev "only USDC.transfer, 100 USDC per day (sliding), valid for 7 days".
    function _usdcPolicies() internal view returns (Policies memory p) {
        p.calls = new CallPermission[](1);
        p.calls[0] = CallPermission(address(usdc), IERC20.transfer.selector);
        p.spends = new SpendLimit[](1);
        p.spends[0] = SpendLimit(address(usdc), uint96(100 * USDC), DAY, PeriodKind.Sliding, 0);
        p.validUntil = uint48(block.timestamp + 7 days);
        p.gas = _gas();
    }

    function _signerId(address a) internal pure returns (bytes32) {
        return bytes32(uint256(uint160(a)));
    }

    /// @dev Registers a key controlled by the account itself, enables it there, sets policies.
    function _grant(TestAccount a, bytes32 salt, address signer, Policies memory p) internal returns (uint176 keyId) {
        bytes32[] memory signers = new bytes32[](1);
        signers[0] = _signerId(signer);
        KeyStore.EnableAuth[] memory auths = new KeyStore.EnableAuth[](1);
        auths[0] = KeyStore.EnableAuth(address(a), 0, "");
        vm.startPrank(address(a));
        keyId = keyStore.register(salt, signers, auths);
        hookConfig.setPolicies(keyId, p);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ user operations

    function _transfer(address token, address to, uint256 amount) internal pure returns (Execution memory) {
        return Execution(token, 0, abi.encodeCall(IERC20.transfer, (to, amount)));
    }

    function _one(Execution memory e) internal pure returns (Execution[] memory x) {
        x = new Execution[](1);
        x[0] = e;
    }

    /// @dev The `execute` calldata for executions with a Functor mode (single when one, else batch).
    function _executeCalldata(uint176 keyId, Execution[] memory execs) internal pure returns (bytes memory) {
        if (execs.length == 1) {
            return abi.encodeWithSelector(
                0xe9ae5c53,
                FunctorMode.encode(FunctorMode.CALLTYPE_SINGLE, keyId),
                abi.encodePacked(execs[0].target, execs[0].value, execs[0].callData)
            );
        }
        return
            abi.encodeWithSelector(0xe9ae5c53, FunctorMode.encode(FunctorMode.CALLTYPE_BATCH, keyId), abi.encode(execs));
    }

    /// @dev The UserOp callData as each account wants it (Kernel: executeUserOp prefix).
    function _opCalldata(TestAccount a, bytes memory exec) internal view returns (bytes memory) {
        if (a.style() == TestAccount.Style.Kernel) return abi.encodePacked(bytes4(0x8dd7712f), exec);
        return exec;
    }

    /// @dev The nonce key routing to validator `v` on `a` with `lane` in its free bytes (TestAccount.validatorOf).
    function _nonceKey(TestAccount a, address v, uint16 lane) internal view returns (uint192) {
        uint192 va = uint160(v);
        if (a.style() == TestAccount.Style.Kernel) return (uint192(1) << 176) | (va << 16) | lane;
        if (a.style() == TestAccount.Style.Nexus) return (uint192(lane) << 168) | va;
        return (va << 32) | lane;
    }

    /// @dev A key's lane on the module that validates (opValidator): the only nonce key its ops may use on `a`.
    function _laneKey(TestAccount a, uint176 keyId_) internal view returns (uint192) {
        return _nonceKey(a, address(opValidator), uint16(keyId_));
    }

    /// @dev The keyId in a (Functor-mode) op calldata, 0 when there is none.
    function _keyIdOf(bytes memory callData) internal pure returns (uint176) {
        uint256 off = callData.length >= 4 && bytes4(callData) == bytes4(0x8dd7712f) ? 4 : 0;
        if (callData.length < off + 36) return 0;
        bytes32 mode;
        assembly ("memory-safe") {
            mode := mload(add(add(callData, 36), off))
        }
        return FunctorMode.isFunctor(mode) ? FunctorMode.keyId(mode) : 0;
    }

    /// @dev An unsigned op of `a` on opValidator, on the lane of the keyId in its calldata.
    function _op(TestAccount a, bytes memory callData) internal view returns (PackedUserOperation memory op) {
        op.sender = address(a);
        op.nonce = ep.getNonce(address(a), _laneKey(a, _keyIdOf(callData)));
        op.callData = callData;
        op.accountGasLimits = bytes32((uint256(1_000_000) << 128) | 1_000_000);
        op.preVerificationGas = 50_000;
        op.gasFees = bytes32((uint256(1 gwei) << 128) | 2 gwei);
    }

    function _signSession(PackedUserOperation memory op, uint256 pk) internal view returns (bytes memory) {
        bytes32 h = ep.getUserOpHash(op);
        bytes32 digest = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", h));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        return abi.encodePacked(uint8(0), r, s, v);
    }

    /// @dev A signed session-key op for `execs` on account `a`.
    function _sessionOp(TestAccount a, uint176 keyId, Execution[] memory execs, uint256 pk)
        internal
        view
        returns (PackedUserOperation memory op)
    {
        op = _op(a, _opCalldata(a, _executeCalldata(keyId, execs)));
        op.signature = _signSession(op, pk);
    }

    /// @dev An owner-signed op (validator 0 = the account's owner) running `execute` with a plain mode.
    function _ownerOp(TestAccount a, Execution[] memory execs) internal view returns (PackedUserOperation memory op) {
        bytes memory exec = execs.length == 1
            ? abi.encodeWithSelector(
                0xe9ae5c53, bytes32(0), abi.encodePacked(execs[0].target, execs[0].value, execs[0].callData)
            )
            : abi.encodeWithSelector(0xe9ae5c53, bytes32(uint256(1) << 248), abi.encode(execs));
        op.sender = address(a);
        op.nonce = ep.getNonce(address(a), 0);
        op.callData = exec;
        op.accountGasLimits = bytes32((uint256(1_000_000) << 128) | 1_000_000);
        op.preVerificationGas = 50_000;
        op.gasFees = bytes32((uint256(1 gwei) << 128) | 2 gwei);
        bytes32 digest = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", ep.getUserOpHash(op)));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerPk, digest);
        op.signature = abi.encode(r, s, v);
    }

    function _send(PackedUserOperation memory op) internal {
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        ep.handleOps(ops, beneficiary);
    }

    /// @dev Sends one op and returns whether its execution succeeded, and the revert data if not
    /// (from the EntryPoint's UserOperationRevertReason event).
    function _sendAndResult(PackedUserOperation memory op) internal returns (bool success, bytes memory reason) {
        vm.recordLogs();
        _send(op);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        success = true;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(ep)) continue;
            if (logs[i].topics[0] == IEntryPoint.UserOperationRevertReason.selector) {
                (, reason) = abi.decode(logs[i].data, (uint256, bytes));
            }
            if (logs[i].topics[0] == IEntryPoint.UserOperationEvent.selector) {
                (, success,,) = abi.decode(logs[i].data, (uint256, bool, uint256, uint256));
            }
        }
    }

    /// @dev Expects `op` to be refused in VALIDATION (handleOps reverts: nothing is paid).
    function _expectValidationRevert(PackedUserOperation memory op, bytes memory inner) internal {
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOpWithRevert.selector, 0, "AA23 reverted", inner));
        _send(op);
    }

    /// @dev Expects `op` to pass validation and revert in execution with `reason`.
    function _expectExecutionRevert(PackedUserOperation memory op, bytes memory reason) internal {
        (bool ok, bytes memory got) = _sendAndResult(op);
        assertFalse(ok, "execution should revert");
        assertEq(got, reason, "revert reason");
    }
}
