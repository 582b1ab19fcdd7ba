// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev How a spend limit's periods are counted.
enum PeriodKind {
    Sliding, // no span of `period` seconds sees more than `limit`
    Fixed // periods of `period` seconds from `start`, as ERC-7715 `*-periodic`
}

/// @dev A call the key may make. `target == ANY_TARGET` matches any target but the forbidden ones;
/// `selector == ANY_SELECTOR` matches any selector; `selector == 0x00000000` is a call with empty
/// calldata (a plain value transfer). ANY_TARGET with ANY_SELECTOR is refused.
struct CallPermission {
    address target;
    bytes4 selector;
}

/// @dev A spend limit on one token (`NATIVE_TOKEN` for the chain's coin).
struct SpendLimit {
    address token;
    uint96 limit;
    uint32 period;
    PeriodKind kind;
    uint32 start; // Fixed only: when the first period starts
}

/// @dev At most `maxCalls` executions in any `period` seconds (sliding). maxCalls 0: no limit.
struct RateLimit {
    uint32 maxCalls;
    uint32 period;
}

/// @dev Checked in validation (DESIGN 2.1), mandatory: a signer chooses the gas limits and fees,
/// so without caps a leaked key could drain the account's ETH through gas alone. What the account
/// can be charged for an op (gas used, plus the 10% penalty on unused execution gas) is bounded by
/// its maximum cost, (sum of all gas limits) x maxFeePerGas: that is what `maxCostPerOp` caps, in
/// wei. (A cap on gas limits alone would break bundlers' estimation, which simulates with 1 wei fees
/// and tens of millions of gas.) `opCeiling`, mandatory, bounds the total: the key's ops on the
/// account run on one EntryPoint nonce key (its lane, `uint16(keyId)`, see FunctorValidator), whose
/// sequence the EntryPoint raises by one per op; an op is valid only while its sequence is below
/// `opCeiling`. So a leaked key costs the account at most (opCeiling - sequence at grant) x
/// maxCostPerOp in all, and the bound costs no storage write per op (DESIGN 2.5).
/// `budget` (wei, 0: none) is debited with each op's maximum cost (a storage write per op).
/// `paymaster` (0: none allowed).
struct GasPolicy {
    uint48 maxFeePerGas;
    uint72 maxCostPerOp;
    uint32 opCeiling;
    uint96 budget;
    address paymaster;
}

/// @dev How an argument condition compares the call's argument word with its values: the word
/// equals the value, is at most or at least it (unsigned), or is one of the values.
enum ArgOp {
    Equal,
    AtMost,
    AtLeast,
    OneOf
}

/// @dev A condition on one 32-byte static argument of a call the key may make: the word at
/// `calldata[4 + 32 * arg]` of calls to exactly `target.selector` (an entry of `calls` with an exact
/// target and selector). Compared as whole words (an address is its left-padded word, so dirty upper
/// bits never match). Equal, AtMost, AtLeast: exactly one value; OneOf: 1 to MAX_ONE_OF values.
/// All conditions of a call must hold (AND); those of one call are adjacent in the list. E.g. an
/// ERC-20 `transfer` whose recipient (arg 0) is OneOf the payees and whose amount (arg 1) is AtMost N.
struct ArgCondition {
    address target;
    bytes4 selector;
    uint8 arg;
    ArgOp op;
    bytes32[] values;
}

/// @dev Everything a keyId may do on one account. All policies must pass (AND); no calls: nothing.
struct Policies {
    uint48 validAfter;
    uint48 validUntil; // 0: no expiry
    CallPermission[] calls;
    SpendLimit[] spends;
    RateLimit rate;
    GasPolicy gas;
    address[] customs; // IFunctorPolicy contracts
    ArgCondition[] conditions; // on the arguments of exact calls, checked in validation and execution
}

/// @dev What validation reads (account-associated, one slot plus one).
struct ValidationConfig {
    bool active;
    uint48 validAfter;
    uint48 validUntil;
    uint48 maxFeePerGas;
    uint72 maxCostPerOp;
    uint32 opCeiling;
    uint96 gasBudget;
    address paymaster;
}

address constant ANY_TARGET = address(0);
bytes4 constant ANY_SELECTOR = 0xffffffff;
address constant NATIVE_TOKEN = address(0);
