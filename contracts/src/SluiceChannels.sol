// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title SluiceChannels
/// @notice Singleton escrow for two-party payment channels in ETH or ERC-20 tokens.
/// Parties pay each other off-chain with EIP-712 signed cumulative balance proofs and settle
/// here, cooperatively at once or unilaterally through a challenge period.
/// @dev The interface of record is docs/contract.md; the storage and gas decisions are in
/// docs/adr/0001-contract-storage-and-gas.md.
contract SluiceChannels {
    enum Status {
        None,
        Open,
        Closing,
        Settled
    }

    struct ChannelView {
        address a;
        address b;
        address token;
        Status status;
        uint64 challengePeriod;
        uint64 settleAfter;
        uint256 depositA;
        uint256 depositB;
        uint256 withdrawnA;
        uint256 withdrawnB;
        uint64 nonceA;
        uint64 nonceB;
        uint256 transferredA;
        uint256 transferredB;
    }

    // Packed into 10 slots. Slots 0, 1 and 3 are all an ETH open writes; the proof slots are
    // written only when a proof reaches the chain, and the lock slots (7 to 9) only when a
    // proof with pending locks does: locksA/locksB, in the proof slots a lock-free proof
    // writes anyway, say whether they hold anything, so the direct path never touches them.
    // Everything but the status is cleared at settlement for the refund. challengePeriod fits
    // uint32 (max 30 days) and settleAfter fits uint48 (unix seconds until the year 8 million).
    struct Channel {
        address a;
        Status status;
        uint32 challengePeriod;
        uint48 settleAfter;
        address b;
        address token;
        uint128 depositA;
        uint128 depositB;
        uint128 withdrawnA;
        uint128 withdrawnB;
        uint128 transferredA;
        uint64 nonceA;
        bool locksA;
        uint128 transferredB;
        uint64 nonceB;
        bool locksB;
        uint128 lockedA;
        uint128 lockedB;
        bytes32 locksRootA;
        bytes32 locksRootB;
    }

    /// @notice A hashlocked amount: the payer owes it to the receiver only if the receiver's
    /// secret, the preimage of secretHash, was registered here by expiration (chain seconds,
    /// inclusive).
    struct Lock {
        uint256 amount;
        uint64 expiration;
        bytes32 secretHash;
    }

    // What settle holds back for one direction's pending locks until unlock (two slots for
    // ETH, three for ERC-20). commitment = keccak256(abi.encode(locksRoot, locked, isToken)),
    // so one slot binds the lock list, its sum and the payout kind.
    struct PendingUnlock {
        bytes32 commitment;
        address receiver;
        uint96 held;
        address token;
    }

    uint64 public constant MIN_CHALLENGE_PERIOD = 1;
    uint64 public constant MAX_CHALLENGE_PERIOD = 30 days;
    /// @notice Most pending locks per direction an unlock accepts; set by unlock's gas
    /// (docs/adr/0019-hashlocks.md).
    uint256 public constant MAX_LOCKS = 64;
    /// @notice Most a proof may hold in pending locks (locked): what settle holds back is
    /// stored in 96 bits beside the receiver.
    uint256 public constant MAX_LOCKED = type(uint96).max;

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("Sluice");
    bytes32 private constant VERSION_HASH = keccak256("1");
    bytes32 private constant BALANCE_PROOF_TYPEHASH =
        keccak256("BalanceProof(bytes32 channelId,uint64 nonce,uint256 transferred,uint256 locked,bytes32 locksRoot)");
    // The receiver's consent to an updateProofFor of exactly this proof. A type of its own: a
    // receiver's signature over a BalanceProof would be a proof of the receiver's payments.
    bytes32 private constant ENDORSEMENT_TYPEHASH = keccak256(
        "ProofEndorsement(BalanceProof proof)BalanceProof(bytes32 channelId,uint64 nonce,uint256 transferred,uint256 locked,bytes32 locksRoot)"
    );
    bytes32 private constant SETTLEMENT_TYPEHASH =
        keccak256("Settlement(bytes32 channelId,uint256 balanceA,uint256 balanceB)");
    bytes32 private constant WITHDRAWAL_TYPEHASH =
        keccak256("Withdrawal(bytes32 channelId,address participant,uint256 totalWithdrawn,uint64 expiry)");

    // secp256k1n / 2: signatures with a larger s are malleable twins and are rejected.
    uint256 private constant HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    // Gas handed to a receiver on an ETH push. Enough for a smart-contract wallet's receive(),
    // too little for a hostile receiver to burn the payer's transaction; a failed push is
    // credited to claim() instead of blocking the other party's payout.
    uint256 private constant ETH_PUSH_GAS = 50_000;

    uint256 private immutable cachedChainId;
    bytes32 private immutable cachedDomainSeparator;

    bool private transient entered;

    // Starts at 1 so that no open pays for a zero-to-nonzero counter write.
    uint256 private openCounter = 1;

    mapping(bytes32 => Channel) private channels;
    mapping(address => mapping(address => uint256)) private credits;
    // keccak256(secret) => block.timestamp of its first registration.
    mapping(bytes32 => uint256) private secretTimes;
    // keccak256(abi.encode(id, sender)) => the sender's locks held back at settlement.
    mapping(bytes32 => PendingUnlock) private pendingUnlocks;

    event ChannelOpened(
        bytes32 indexed id, address indexed a, address indexed b, address token, uint256 deposit, uint64 challengePeriod
    );
    event Deposited(bytes32 indexed id, address indexed participant, uint256 amount, uint256 totalDeposit);
    event Withdrawn(bytes32 indexed id, address indexed participant, uint256 amount, uint256 totalWithdrawn);
    event ChannelClosed(
        bytes32 indexed id, address indexed closer, uint64 nonce, uint256 transferred, uint64 settleAfter
    );
    event ProofUpdated(bytes32 indexed id, address indexed signer, uint64 nonce, uint256 transferred);
    event ChannelSettled(bytes32 indexed id, uint256 balanceA, uint256 balanceB, bool cooperative);
    event Claimed(address indexed account, address indexed token, uint256 amount);
    event Credited(address indexed account, address indexed token, uint256 amount);
    event SecretRegistered(bytes32 indexed secretHash, bytes32 secret);
    /// @notice At settlement: sender's pending locks (locked in total under locksRoot) owed
    /// to receiver; held is what the escrow keeps back for them (locked, or less if the
    /// sender's balance could not cover it).
    event LocksHeld(
        bytes32 indexed id, address indexed sender, address receiver, bytes32 locksRoot, uint256 locked, uint256 held
    );
    /// @notice The split of an unlock: toReceiver (the receiver of LocksHeld) for the locks
    /// whose secret was registered by their expiration, toSender for the rest.
    event Unlocked(bytes32 indexed id, address indexed sender, uint256 toReceiver, uint256 toSender);

    error NotParticipant();
    error InvalidPartner();
    error InvalidChallengePeriod();
    error InvalidAmount();
    error AmountTooLarge();
    error ChannelNotOpen();
    error ChannelNotClosing();
    error UnknownChannel();
    error InvalidSignature();
    error WrongSigner();
    error StaleNonce();
    error ChallengePeriodOver();
    error ChallengePeriodNotOver();
    error WrongBalanceSum();
    error WithdrawalExpired();
    error WithdrawalNotIncreasing();
    error EthValueMismatch();
    error TokenTransferFailed();
    error Reentrancy();
    error NothingToClaim();
    error EthTransferFailed();
    error InvalidLocks();
    error TooManyLocks();
    error NothingToUnlock();

    modifier nonReentrant() {
        if (entered) revert Reentrancy();
        entered = true;
        _;
        entered = false;
    }

    constructor() {
        cachedChainId = block.chainid;
        cachedDomainSeparator = _buildDomainSeparator();
    }

    // ---------------------------------------------------------------- writes

    /// @notice Opens a channel from the caller (a) to partner (b), depositing amount for a.
    /// For ERC-20 the caller must have approved amount; the deposit credited is what arrived.
    function open(address partner, address token, uint256 amount, uint64 challengePeriod)
        external
        payable
        nonReentrant
        returns (bytes32 id)
    {
        // The escrow itself as partner would strand that share: it can never claim.
        if (partner == address(0) || partner == msg.sender || partner == address(this)) revert InvalidPartner();
        if (challengePeriod < MIN_CHALLENGE_PERIOD || challengePeriod > MAX_CHALLENGE_PERIOD) {
            revert InvalidChallengePeriod();
        }
        uint256 credited = _pull(token, amount);

        uint256 counter = openCounter;
        openCounter = counter + 1;
        id = keccak256(abi.encode(block.chainid, address(this), msg.sender, partner, token, counter));

        Channel storage c = channels[id];
        c.a = msg.sender;
        c.status = Status.Open;
        c.challengePeriod = uint32(challengePeriod);
        c.b = partner;
        if (token != address(0)) c.token = token;
        if (credited != 0) c.depositA = uint128(credited);

        emit ChannelOpened(id, msg.sender, partner, token, credited, challengePeriod);
    }

    /// @notice Tops up participant's deposit while the channel is open. Only the two
    /// participants may pay (either side): a deposit changes the total a co-signed Settlement
    /// must sum to, so a stranger's deposit could otherwise block a cooperative close
    /// (docs/adr/0014-receiver-consent-dispute-rule.md).
    function deposit(bytes32 id, address participant, uint256 amount) external payable nonReentrant {
        Channel storage c = channels[id];
        _requireOpen(c);
        if (msg.sender != c.a && msg.sender != c.b) revert NotParticipant();
        bool isA = _side(c, participant);
        if (amount == 0) revert InvalidAmount();
        uint256 current = isA ? c.depositA : c.depositB;
        // Checked before pulling: what arrives is never more than amount.
        if (amount > type(uint128).max - current) revert AmountTooLarge();
        uint256 total = current + _pull(c.token, amount);
        if (isA) c.depositA = uint128(total);
        else c.depositB = uint128(total);
        emit Deposited(id, participant, total - current, total);
    }

    /// @notice Pays participant the difference between totalWithdrawn and what it has already
    /// withdrawn. Both parties sign the cumulative total, so a signed withdrawal executes once.
    function withdraw(
        bytes32 id,
        address participant,
        uint256 totalWithdrawn,
        uint64 expiry,
        bytes calldata sigA,
        bytes calldata sigB
    ) external nonReentrant {
        Channel storage c = channels[id];
        _requireOpen(c);
        bool isA = _side(c, participant);
        if (block.timestamp > expiry) revert WithdrawalExpired();
        if (totalWithdrawn > type(uint128).max) revert AmountTooLarge();
        uint256 previous = isA ? c.withdrawnA : c.withdrawnB;
        if (totalWithdrawn <= previous) revert WithdrawalNotIncreasing();
        uint256 otherWithdrawn = isA ? c.withdrawnB : c.withdrawnA;
        if (totalWithdrawn + otherWithdrawn > uint256(c.depositA) + c.depositB) revert InvalidAmount();

        bytes32 digest = _hashWithdrawal(id, participant, totalWithdrawn, expiry);
        _requireSigner(digest, sigA, c.a);
        _requireSigner(digest, sigB, c.b);

        if (isA) c.withdrawnA = uint128(totalWithdrawn);
        else c.withdrawnB = uint128(totalWithdrawn);
        uint256 amount = totalWithdrawn - previous;
        emit Withdrawn(id, participant, amount, totalWithdrawn);
        _payout(c.token, participant, amount);
    }

    /// @notice Settles at once on balances both parties signed.
    function closeCooperative(
        bytes32 id,
        uint256 balanceA,
        uint256 balanceB,
        bytes calldata sigA,
        bytes calldata sigB
    ) external nonReentrant {
        Channel storage c = channels[id];
        _requireOpen(c);
        uint256 total = uint256(c.depositA) + c.depositB - c.withdrawnA - c.withdrawnB;
        // Each balance is checked alone first so the sum cannot overflow.
        if (balanceA > total || balanceB > total || balanceA + balanceB != total) revert WrongBalanceSum();

        bytes32 digest = _hashSettlement(id, balanceA, balanceB);
        address a = c.a;
        address b = c.b;
        _requireSigner(digest, sigA, a);
        _requireSigner(digest, sigB, b);

        address token = c.token;
        // Proof slots are written only by close/updateProof, so they are still zero here.
        _clear(c, false);
        emit ChannelSettled(id, balanceA, balanceB, true);
        _payout(token, a, balanceA);
        _payout(token, b, balanceB);
    }

    /// @notice Starts the challenge period. The caller submits the best proof signed by its
    /// partner, or nonce 0 with an empty signature when it holds none. locked and locksRoot
    /// are the partner's pending locks to the caller (0 and bytes32(0) when none).
    function close(
        bytes32 id,
        uint64 nonce,
        uint256 transferred,
        uint256 locked,
        bytes32 locksRoot,
        bytes calldata sig
    ) external nonReentrant {
        Channel storage c = channels[id];
        _requireOpen(c);
        bool callerIsA = _side(c, msg.sender);
        if (nonce == 0) {
            if (sig.length != 0) revert InvalidSignature();
            if (transferred != 0 || locked != 0 || locksRoot != 0) revert InvalidAmount();
        } else {
            if (transferred > type(uint128).max) revert AmountTooLarge();
            _checkLocks(locked, locksRoot);
            address partner = callerIsA ? c.b : c.a;
            _requireSigner(_hashBalanceProof(id, nonce, transferred, locked, locksRoot), sig, partner);
            if (callerIsA) {
                c.transferredB = uint128(transferred);
                c.nonceB = nonce;
                if (locksRoot != 0) {
                    c.locksB = true;
                    c.lockedB = uint128(locked);
                    c.locksRootB = locksRoot;
                }
            } else {
                c.transferredA = uint128(transferred);
                c.nonceA = nonce;
                if (locksRoot != 0) {
                    c.locksA = true;
                    c.lockedA = uint128(locked);
                    c.locksRootA = locksRoot;
                }
            }
        }
        uint64 settleAfter = uint64(block.timestamp) + c.challengePeriod;
        c.status = Status.Closing;
        c.settleAfter = uint48(settleAfter);
        emit ChannelClosed(id, msg.sender, nonce, transferred, settleAfter);
    }

    /// @notice Records a newer proof of the partner's payments to the caller during the
    /// challenge period. A proof is used on chain only with the consent of the party it pays
    /// (its receiver): here the receiver sends the transaction. A payer can therefore never
    /// replace the receiver's best proof with one of its own making (a fresh high nonce and a
    /// low amount), which the earlier "anyone, any signer" rule allowed.
    function updateProof(
        bytes32 id,
        uint64 nonce,
        uint256 transferred,
        uint256 locked,
        bytes32 locksRoot,
        bytes calldata sig
    ) external nonReentrant {
        Channel storage c = channels[id];
        _requireDisputable(c);
        bool receiverIsA = _side(c, msg.sender);
        address payer = receiverIsA ? c.b : c.a;
        _requireSigner(_hashBalanceProof(id, nonce, transferred, locked, locksRoot), sig, payer);
        _recordProof(c, id, payer, !receiverIsA, nonce, transferred, locked, locksRoot);
    }

    /// @notice updateProof on the receiver's behalf (a watchtower, any relayer): the call
    /// carries the receiver's EIP-712 ProofEndorsement of exactly this proof.
    function updateProofFor(
        bytes32 id,
        uint64 nonce,
        uint256 transferred,
        uint256 locked,
        bytes32 locksRoot,
        bytes calldata sig,
        bytes calldata receiverSig
    ) external nonReentrant {
        Channel storage c = channels[id];
        _requireDisputable(c);
        bytes32 proofHash = _balanceProofStructHash(id, nonce, transferred, locked, locksRoot);
        address payer = _recover(_typedDigest(proofHash), sig);
        bool payerIsA;
        if (payer == c.a) payerIsA = true;
        else if (payer != c.b) revert WrongSigner();
        _requireSigner(_hashEndorsement(proofHash), receiverSig, payerIsA ? c.b : c.a);
        _recordProof(c, id, payer, payerIsA, nonce, transferred, locked, locksRoot);
    }

    /// @notice Pays out a closing channel once its challenge period is over; anyone may call.
    function settle(bytes32 id) external nonReentrant {
        Channel storage c = channels[id];
        _requireClosing(c);
        if (block.timestamp <= c.settleAfter) revert ChallengePeriodNotOver();

        uint256 depositA = c.depositA;
        uint256 withdrawnA = c.withdrawnA;
        uint256 total = depositA + c.depositB - withdrawnA - c.withdrawnB;
        // balA = depositA - withdrawnA - transferredA + transferredB, clamped into [0, total].
        uint256 credit = depositA + c.transferredB;
        uint256 debit = withdrawnA + c.transferredA;
        uint256 balanceA = credit > debit ? credit - debit : 0;
        if (balanceA > total) balanceA = total;
        uint256 balanceB = total - balanceA;

        address a = c.a;
        address b = c.b;
        address token = c.token;
        // Each side's pending locks are held back from its own balance until unlock.
        if (c.locksA) balanceA -= _holdLocks(id, a, b, token, c.lockedA, c.locksRootA, balanceA);
        if (c.locksB) balanceB -= _holdLocks(id, b, a, token, c.lockedB, c.locksRootB, balanceB);
        _clear(c, true);
        emit ChannelSettled(id, balanceA, balanceB, false);
        _payout(token, a, balanceA);
        _payout(token, b, balanceB);
    }

    /// @notice Pays the caller what failed to reach it earlier (token address(0) = ETH).
    function claim(address token) external nonReentrant {
        uint256 amount = credits[msg.sender][token];
        if (amount == 0) revert NothingToClaim();
        credits[msg.sender][token] = 0;
        emit Claimed(msg.sender, token, amount);
        if (token == address(0)) {
            // The claimant pays for its own receive(), so it gets all the gas.
            (bool ok,) = msg.sender.call{value: amount}("");
            if (!ok) revert EthTransferFailed();
        } else if (!_sendToken(token, msg.sender, amount)) {
            revert TokenTransferFailed();
        }
    }

    /// @notice Registers secret so that locks on keccak256(secret) count as revealed from now
    /// on. The first registration wins; a repeat returns false and changes nothing.
    function registerSecret(bytes32 secret) external returns (bool) {
        return _registerSecret(secret);
    }

    /// @notice registerSecret for each secret; true if every one was new.
    function registerSecrets(bytes32[] calldata secrets) external returns (bool all) {
        all = true;
        for (uint256 i; i < secrets.length; ++i) {
            if (!_registerSecret(secrets[i])) all = false;
        }
    }

    /// @notice After settlement, pays out sender's locks held back by settle; anyone may
    /// call. locks must be exactly the list of sender's last proof on chain, in creation
    /// order: it must hash to its locksRoot and sum to its locked. A lock goes to the receiver
    /// if its secret was registered at a block timestamp <= its expiration, else back to
    /// sender. Each direction unlocks once.
    function unlock(bytes32 id, address sender, Lock[] calldata locks) external nonReentrant {
        bytes32 key = _unlockKey(id, sender);
        PendingUnlock storage p = pendingUnlocks[key];
        bytes32 commitment = p.commitment;
        if (commitment == 0) revert NothingToUnlock();
        uint256 n = locks.length;
        if (n > MAX_LOCKS) revert TooManyLocks();

        // Reads each lock's three words straight from calldata: the root check below binds
        // them to the signed list, so ABI range checks would add gas and no safety.
        uint256 sum;
        uint256 revealed;
        bool overflow;
        assembly ("memory-safe") {
            mstore(0x20, secretTimes.slot)
            let end := add(locks.offset, mul(n, 0x60))
            for { let ptr := locks.offset } lt(ptr, end) { ptr := add(ptr, 0x60) } {
                let amount := calldataload(ptr)
                let total := add(sum, amount)
                overflow := or(overflow, lt(total, sum))
                sum := total
                mstore(0, calldataload(add(ptr, 0x40)))
                let registeredAt := sload(keccak256(0, 0x40))
                // revealed <= sum, so it cannot overflow unless sum did.
                if and(iszero(iszero(registeredAt)), iszero(gt(registeredAt, calldataload(add(ptr, 0x20))))) {
                    revealed := add(revealed, amount)
                }
            }
        }
        if (overflow) revert InvalidLocks();
        bytes32 root = _locksRoot(locks);
        bool isToken;
        if (keccak256(abi.encode(root, sum, false)) != commitment) {
            if (keccak256(abi.encode(root, sum, true)) != commitment) revert InvalidLocks();
            isToken = true;
        }
        address receiver = p.receiver;
        uint256 held = p.held;
        address token;
        if (isToken) {
            token = p.token;
            p.token = address(0);
        }
        p.commitment = 0;
        p.receiver = address(0);
        p.held = 0;

        // held < sum only when the sender's proof promised more than it had.
        uint256 toReceiver = revealed < held ? revealed : held;
        uint256 toSender = held - toReceiver;
        emit Unlocked(id, sender, toReceiver, toSender);
        _payout(token, receiver, toReceiver);
        _payout(token, sender, toSender);
    }

    // ----------------------------------------------------------------- views

    function channel(bytes32 id) external view returns (ChannelView memory v) {
        Channel storage c = channels[id];
        v.a = c.a;
        v.b = c.b;
        v.token = c.token;
        v.status = c.status;
        v.challengePeriod = c.challengePeriod;
        v.settleAfter = c.settleAfter;
        v.depositA = c.depositA;
        v.depositB = c.depositB;
        v.withdrawnA = c.withdrawnA;
        v.withdrawnB = c.withdrawnB;
        v.nonceA = c.nonceA;
        v.nonceB = c.nonceB;
        v.transferredA = c.transferredA;
        v.transferredB = c.transferredB;
    }

    function claimable(address account, address token) external view returns (uint256) {
        return credits[account][token];
    }

    function domainSeparator() external view returns (bytes32) {
        return _domainSeparator();
    }

    function hashBalanceProof(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot)
        external
        view
        returns (bytes32)
    {
        return _hashBalanceProof(id, nonce, transferred, locked, locksRoot);
    }

    function hashEndorsement(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot)
        external
        view
        returns (bytes32)
    {
        return _hashEndorsement(_balanceProofStructHash(id, nonce, transferred, locked, locksRoot));
    }

    /// @notice The locksRoot of locks: bytes32(0) for none, else keccak256 over each lock's
    /// 96-byte abi.encode(amount, expiration, secretHash) in order.
    function hashLocksRoot(Lock[] calldata locks) external pure returns (bytes32) {
        return _locksRoot(locks);
    }

    /// @notice Block timestamp at which keccak256(secret) = secretHash was first registered,
    /// 0 if never.
    function secretRegisteredAt(bytes32 secretHash) external view returns (uint256) {
        return secretTimes[secretHash];
    }

    /// @notice What settle held back for sender's locks and not yet unlocked: receiver and
    /// held are zero when nothing is pending (never settled with locks, or unlocked).
    function pendingUnlock(bytes32 id, address sender) external view returns (address receiver, uint256 held) {
        PendingUnlock storage p = pendingUnlocks[_unlockKey(id, sender)];
        return (p.receiver, p.held);
    }

    function hashSettlement(bytes32 id, uint256 balanceA, uint256 balanceB) external view returns (bytes32) {
        return _hashSettlement(id, balanceA, balanceB);
    }

    function hashWithdrawal(bytes32 id, address participant, uint256 totalWithdrawn, uint64 expiry)
        external
        view
        returns (bytes32)
    {
        return _hashWithdrawal(id, participant, totalWithdrawn, expiry);
    }

    // -------------------------------------------------------------- internals

    function _requireOpen(Channel storage c) private view {
        Status s = c.status;
        if (s == Status.Open) return;
        if (s == Status.None) revert UnknownChannel();
        revert ChannelNotOpen();
    }

    function _requireClosing(Channel storage c) private view {
        Status s = c.status;
        if (s == Status.Closing) return;
        if (s == Status.None) revert UnknownChannel();
        revert ChannelNotClosing();
    }

    function _requireDisputable(Channel storage c) private view {
        _requireClosing(c);
        if (block.timestamp > c.settleAfter) revert ChallengePeriodOver();
    }

    /// @dev Stores the payer's proof if it is newer (by nonce) than the one on chain. Callers
    /// have checked the payer's signature and the receiver's consent.
    function _recordProof(
        Channel storage c,
        bytes32 id,
        address payer,
        bool payerIsA,
        uint64 nonce,
        uint256 transferred,
        uint256 locked,
        bytes32 locksRoot
    ) private {
        if (transferred > type(uint128).max) revert AmountTooLarge();
        _checkLocks(locked, locksRoot);
        bool hasLocks = locksRoot != 0;
        if (payerIsA) {
            if (nonce <= c.nonceA) revert StaleNonce();
            // The lock slots are written only if the new proof has locks or the old one had.
            if (hasLocks || c.locksA) {
                c.lockedA = uint128(locked);
                c.locksRootA = locksRoot;
            }
            c.transferredA = uint128(transferred);
            c.nonceA = nonce;
            c.locksA = hasLocks;
        } else {
            if (nonce <= c.nonceB) revert StaleNonce();
            if (hasLocks || c.locksB) {
                c.lockedB = uint128(locked);
                c.locksRootB = locksRoot;
            }
            c.transferredB = uint128(transferred);
            c.nonceB = nonce;
            c.locksB = hasLocks;
        }
        emit ProofUpdated(id, payer, nonce, transferred);
    }

    /// @dev A proof's locks: locked fits the held-back field, and no root means nothing locked.
    function _checkLocks(uint256 locked, bytes32 locksRoot) private pure {
        if (locked > MAX_LOCKED) revert AmountTooLarge();
        if (locksRoot == 0 && locked != 0) revert InvalidLocks();
    }

    /// @dev Records sender's pending locks at settlement and returns what is held back from
    /// the sender's balance for them: locked, or all the balance if it is less.
    function _holdLocks(
        bytes32 id,
        address sender,
        address receiver,
        address token,
        uint256 locked,
        bytes32 locksRoot,
        uint256 balance
    ) private returns (uint256 held) {
        held = locked < balance ? locked : balance;
        PendingUnlock storage p = pendingUnlocks[_unlockKey(id, sender)];
        bool isToken = token != address(0);
        p.commitment = keccak256(abi.encode(locksRoot, locked, isToken));
        p.receiver = receiver;
        p.held = uint96(held);
        if (isToken) p.token = token;
        emit LocksHeld(id, sender, receiver, locksRoot, locked, held);
    }

    function _unlockKey(bytes32 id, address sender) private pure returns (bytes32) {
        return keccak256(abi.encode(id, sender));
    }

    /// @dev Lock is three static words, so a calldata Lock[] is the concatenation the root
    /// hashes: one copy and one keccak.
    function _locksRoot(Lock[] calldata locks) private pure returns (bytes32 root) {
        if (locks.length == 0) return 0;
        assembly ("memory-safe") {
            let size := mul(locks.length, 0x60)
            let ptr := mload(0x40)
            calldatacopy(ptr, locks.offset, size)
            root := keccak256(ptr, size)
        }
    }

    function _registerSecret(bytes32 secret) private returns (bool) {
        bytes32 secretHash = keccak256(abi.encode(secret));
        if (secretTimes[secretHash] != 0) return false;
        secretTimes[secretHash] = block.timestamp;
        emit SecretRegistered(secretHash, secret);
        return true;
    }

    /// @dev Returns true for a, false for b, and reverts for anyone else.
    function _side(Channel storage c, address participant) private view returns (bool isA) {
        if (participant == c.a) return true;
        if (participant == c.b) return false;
        revert NotParticipant();
    }

    /// @dev Keeps only the status (Settled) so the id can never be used again; the rest is
    /// zeroed for the storage refund. ChannelSettled carries the final balances.
    function _clear(Channel storage c, bool withProofs) private {
        c.a = address(0);
        c.challengePeriod = 0;
        c.settleAfter = 0;
        c.status = Status.Settled;
        c.b = address(0);
        if (c.token != address(0)) c.token = address(0);
        c.depositA = 0;
        c.depositB = 0;
        c.withdrawnA = 0;
        c.withdrawnB = 0;
        if (withProofs) {
            c.transferredA = 0;
            c.nonceA = 0;
            c.transferredB = 0;
            c.nonceB = 0;
            if (c.locksA || c.locksB) {
                c.locksA = false;
                c.locksB = false;
                c.lockedA = 0;
                c.lockedB = 0;
                c.locksRootA = 0;
                c.locksRootB = 0;
            }
        }
    }

    /// @dev Takes amount from the caller and returns what actually arrived, so a
    /// fee-on-transfer token is credited only with what the contract holds.
    function _pull(address token, uint256 amount) private returns (uint256 credited) {
        if (amount > type(uint128).max) revert AmountTooLarge();
        if (token == address(0)) {
            if (msg.value != amount) revert EthValueMismatch();
            return amount;
        }
        if (msg.value != 0) revert EthValueMismatch();
        if (amount == 0) return 0;
        if (token.code.length == 0) revert TokenTransferFailed();
        uint256 before = _balanceOf(token);
        (bool ok, bytes memory ret) = token.call(abi.encodeCall(IERC20.transferFrom, (msg.sender, address(this), amount)));
        // Tokens that return nothing (USDT-style) succeed by not reverting.
        if (!ok || (ret.length != 0 && (ret.length < 32 || !abi.decode(ret, (bool))))) revert TokenTransferFailed();
        uint256 afterBalance = _balanceOf(token);
        if (afterBalance < before) revert TokenTransferFailed();
        credited = afterBalance - before;
        if (credited > amount) revert TokenTransferFailed();
    }

    function _balanceOf(address token) private view returns (uint256 balance) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeCall(IERC20.balanceOf, (address(this))));
        if (!ok || ret.length < 32) revert TokenTransferFailed();
        balance = abi.decode(ret, (uint256));
    }

    /// @dev Pushes a payout; if the receiver refuses it, credits it for claim() so that one
    /// party can never block the other's payout.
    function _payout(address token, address to, uint256 amount) private {
        if (amount == 0) return;
        bool ok;
        if (token == address(0)) {
            assembly ("memory-safe") {
                ok := call(ETH_PUSH_GAS, to, amount, 0, 0, 0, 0)
            }
        } else {
            ok = _sendToken(token, to, amount);
        }
        if (!ok) {
            credits[to][token] += amount;
            emit Credited(to, token, amount);
        }
    }

    /// @dev Returns false instead of reverting, and copies at most one word of return data so a
    /// hostile token cannot make the caller pay for a huge returndata copy.
    function _sendToken(address token, address to, uint256 amount) private returns (bool ok) {
        bytes memory data = abi.encodeCall(IERC20.transfer, (to, amount));
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            ok := call(gas(), token, 0, add(data, 0x20), mload(data), ptr, 0x20)
            let size := returndatasize()
            if ok {
                // No return data is success (no-bool tokens); otherwise the word must be true.
                if iszero(iszero(size)) { ok := and(gt(size, 0x1f), eq(mload(ptr), 1)) }
            }
        }
    }

    function _requireSigner(bytes32 digest, bytes calldata sig, address expected) private pure {
        if (_recover(digest, sig) != expected) revert WrongSigner();
    }

    /// @dev Accepts only canonical 65-byte r || s || v signatures: v in {27, 28}, low s, and a
    /// non-zero recovered address.
    function _recover(bytes32 digest, bytes calldata sig) private pure returns (address signer) {
        if (sig.length != 65) revert InvalidSignature();
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := calldataload(sig.offset)
            s := calldataload(add(sig.offset, 0x20))
            v := byte(0, calldataload(add(sig.offset, 0x40)))
        }
        if ((v != 27 && v != 28) || uint256(s) > HALF_CURVE_ORDER) revert InvalidSignature();
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
    }

    function _domainSeparator() private view returns (bytes32) {
        // Recomputed after a chain split so a proof never replays on the other fork.
        return block.chainid == cachedChainId ? cachedDomainSeparator : _buildDomainSeparator();
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    function _typedDigest(bytes32 structHash) private view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator(), structHash));
    }

    function _balanceProofStructHash(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(BALANCE_PROOF_TYPEHASH, id, nonce, transferred, locked, locksRoot));
    }

    function _hashBalanceProof(bytes32 id, uint64 nonce, uint256 transferred, uint256 locked, bytes32 locksRoot)
        private
        view
        returns (bytes32)
    {
        return _typedDigest(_balanceProofStructHash(id, nonce, transferred, locked, locksRoot));
    }

    /// @dev EIP-712 encodes a nested struct member as its struct hash.
    function _hashEndorsement(bytes32 proofStructHash) private view returns (bytes32) {
        return _typedDigest(keccak256(abi.encode(ENDORSEMENT_TYPEHASH, proofStructHash)));
    }

    function _hashSettlement(bytes32 id, uint256 balanceA, uint256 balanceB) private view returns (bytes32) {
        return _typedDigest(keccak256(abi.encode(SETTLEMENT_TYPEHASH, id, balanceA, balanceB)));
    }

    function _hashWithdrawal(bytes32 id, address participant, uint256 totalWithdrawn, uint64 expiry)
        private
        view
        returns (bytes32)
    {
        return _typedDigest(keccak256(abi.encode(WITHDRAWAL_TYPEHASH, id, participant, totalWithdrawn, expiry)));
    }
}

/// @dev The slice of ERC-20 the escrow calls; return values are decoded by hand because some
/// tokens return nothing.
interface IERC20 {
    function transfer(address to, uint256 amount) external;
    function transferFrom(address from, address to, uint256 amount) external;
    function balanceOf(address account) external view returns (uint256);
}
