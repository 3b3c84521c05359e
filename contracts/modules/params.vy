# pragma version ~=0.4.3
# pragma nonreentrancy on
"""
@title Charter parameters
@custom:contract-name params
@license GNU Affero General Public License v3.0 only
@author Panarchy
@notice The rules a charter's decisions run by: how votes are held, what
        they must reach, and who may join. (The clause book keeps the rules
        of clauses: revision period, terms, renewals, quota.)
        They are validated whenever they are set and kept packed in one
        storage slot, because every proposal reads them at creation.
        A proposal copies what it depends on when it is created, so changing
        them never revives or kills an existing proposal.
"""


# @dev Admission policies.
OPEN: constant(uint8) = 0
BY_VOTE: constant(uint8) = 1
BY_SPONSORSHIP: constant(uint8) = 2


# @dev Basis points in one whole (100%).
BPS: constant(uint256) = 10_000


# @dev Upper bounds of the packed fields (the packed widths below).
MAX_UINT8: constant(uint256) = 2**8 - 1
MAX_UINT32: constant(uint256) = 2**32 - 1
MAX_FRACTION_PART: constant(uint256) = 2**6 - 1


# @dev Bit offsets of the packed fields.
_VOTING_PERIOD_SHIFT: constant(uint256) = 0  # 32 bits, seconds
_EXECUTION_WINDOW_SHIFT: constant(uint256) = 32  # 32 bits, seconds
_QUORUM_SHIFT: constant(uint256) = 64  # 16 bits, bps
_SUPER_NUM_SHIFT: constant(uint256) = 80  # 6 bits
_SUPER_DEN_SHIFT: constant(uint256) = 86  # 6 bits
_CONSENT_SHIFT: constant(uint256) = 92  # 32 bits, objections
_ADMISSION_SHIFT: constant(uint256) = 124  # 8 bits


# @dev The parameters as the outside world sees them.
struct Params:
    voting_period: uint256
    execution_window: uint256
    quorum_bps: uint256
    supermajority_num: uint256
    supermajority_den: uint256
    consent_max_objections: uint256
    admission: uint8


# @dev The parameters, packed (see the offsets above).
_packed: uint256


# @dev Emitted whenever the parameters are set, at founding too.
event ParametersUpdated:
    old: Params
    new: Params


@internal
@view
def _get() -> Params:
    """
    @dev Returns the current parameters.
    @return Params The unpacked parameters.
    """
    return self._unpack(self._packed)


@internal
def _set(new: Params):
    """
    @dev Validates and stores new parameters, logging the change.
    @param new The parameters to store.
    """
    self._validate(new)
    old: Params = self._unpack(self._packed)
    self._packed = self._pack(new)
    log ParametersUpdated(old=old, new=new)


@internal
@pure
def _validate(p: Params):
    """
    @dev Reverts with a clear reason when a parameter is out of range.
    @param p The parameters to check.
    """
    assert p.voting_period != 0, "charter: zero voting period"
    assert p.execution_window != 0, "charter: zero execution window"
    assert p.quorum_bps <= BPS, "charter: quorum over 100%"
    # A supermajority is a fraction strictly above one half and at most one.
    assert p.supermajority_den != 0, "charter: invalid supermajority"
    assert p.supermajority_num <= p.supermajority_den, "charter: invalid supermajority"
    assert p.supermajority_num * 2 > p.supermajority_den, "charter: invalid supermajority"
    assert p.supermajority_den <= MAX_FRACTION_PART, "charter: invalid supermajority"
    assert p.admission <= BY_SPONSORSHIP, "charter: invalid admission policy"
    assert p.voting_period <= MAX_UINT32, "charter: parameter too large"
    assert p.execution_window <= MAX_UINT32, "charter: parameter too large"
    assert p.consent_max_objections <= MAX_UINT32, "charter: parameter too large"


@internal
@pure
def _pack(p: Params) -> uint256:
    """
    @dev Packs validated parameters into one word.
    @param p The parameters; every field already fits its width.
    @return uint256 The packed word.
    """
    return (
        (p.voting_period << _VOTING_PERIOD_SHIFT)
        | (p.execution_window << _EXECUTION_WINDOW_SHIFT)
        | (p.quorum_bps << _QUORUM_SHIFT)
        | (p.supermajority_num << _SUPER_NUM_SHIFT)
        | (p.supermajority_den << _SUPER_DEN_SHIFT)
        | (p.consent_max_objections << _CONSENT_SHIFT)
        | (convert(p.admission, uint256) << _ADMISSION_SHIFT)
    )


@internal
@pure
def _unpack(w: uint256) -> Params:
    """
    @dev Unpacks the parameter word.
    @param w The packed word.
    @return Params The parameters.
    """
    return Params(
        voting_period=(w >> _VOTING_PERIOD_SHIFT) & MAX_UINT32,
        execution_window=(w >> _EXECUTION_WINDOW_SHIFT) & MAX_UINT32,
        quorum_bps=(w >> _QUORUM_SHIFT) & (2**16 - 1),
        supermajority_num=(w >> _SUPER_NUM_SHIFT) & MAX_FRACTION_PART,
        supermajority_den=(w >> _SUPER_DEN_SHIFT) & MAX_FRACTION_PART,
        consent_max_objections=(w >> _CONSENT_SHIFT) & MAX_UINT32,
        admission=convert((w >> _ADMISSION_SHIFT) & MAX_UINT8, uint8),
    )
