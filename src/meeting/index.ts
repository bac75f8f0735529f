/**
 * MDT meeting mode (case list, prefetch plan, presenter/follower view-state protocol). Empty
 * until the meeting issue: this file marks the module's place and its boundary, that it holds
 * view state and never pixels.
 */
export type MeetingRole = 'presenter' | 'follower';
