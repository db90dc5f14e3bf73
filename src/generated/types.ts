// Generated from plugin.spec.yaml by `npm run generate`. Do not edit.

export interface CredentialSecretKey {
  secretKey: string;
}

export interface FileValue {
  filename: string;
  /** Base64-encoded content. */
  content: string;
}

/** Custom type `attachment`. */
export interface Attachment {
  /** RecId of the attachment, for Download Attachment and Delete Attachment */
  attachment_id: string;
  /** Name of the file */
  filename: string;
  /** Size of the file in bytes, when ISM gives it */
  size?: number;
  /** When the file was attached, as ISM gives it */
  created?: string;
  /** Login ID of who attached the file */
  created_by?: string;
  /** Media type of the file, when ISM gives it */
  content_type?: string;
  /** ISM returns more fields than the spec lists. */
  [field: string]: unknown;
}

/** Custom type `incident`. */
export interface Incident {
  /** Accuracy of the ticket classification recommendation */
  Accuracy?: string;
  /** Category the incident turned out to have */
  ActualCategory?: string;
  /** Record ID of the actual category value in its validation list */
  ActualCategory_Valid?: string;
  /** Service the incident turned out to concern */
  ActualService?: string;
  /** Record ID of the actual service value in its validation list */
  ActualService_Valid?: string;
  /** Whether chat conversations are added to the activity history */
  AddChatconversationtoActivityHistory?: boolean;
  /** Email address of the alternate contact */
  AlternateContactEmail?: string;
  /** Record ID of the alternate contact */
  AlternateContactLink?: string;
  /** Business object type of the alternate contact */
  AlternateContactLink_Category?: string;
  /** Record ID of the alternate contact (same as AlternateContactLink) */
  AlternateContactLink_RecID?: string;
  /** Phone number of the alternate contact */
  AlternateContactPhone?: string;
  /** Status of the incident approval */
  ApprovalStatus?: string;
  /** Approver of the incident */
  Approver?: string;
  /** Record ID of the approver value in its validation list */
  Approver_Valid?: string;
  /** Category of the incident */
  Category?: string;
  /** Record ID of the category value in its validation list */
  Category_Valid?: string;
  /** Cause code recorded when the incident was resolved */
  CauseCode?: string;
  /** Record ID of the cause code value in its validation list */
  CauseCode_Valid?: string;
  /** Login ID of the user who closed the incident */
  ClosedBy?: string;
  /** When the incident was closed */
  ClosedDateTime?: string;
  /** Time the incident spent closed, in minutes */
  ClosedDuration?: number;
  /** Record ID of the closing escalation */
  ClosingEscLink?: string;
  /** Business object type of the closing escalation */
  ClosingEscLink_Category?: string;
  /** Record ID of the closing escalation (same as ClosingEscLink) */
  ClosingEscLink_RecID?: string;
  /** Cost of the incident */
  Cost?: string;
  /** Cost per minute spent on the incident */
  CostPerMinute?: string;
  /** Currency of the cost per minute */
  CostPerMinute_Currency?: string;
  /** Validation list entry of the cost per minute currency */
  CostPerMinute_CurrencyValid?: string;
  /** Currency of the cost */
  Cost_Currency?: string;
  /** Validation list entry of the cost currency */
  Cost_CurrencyValid?: string;
  /** Login ID of the user who created the incident */
  CreatedBy?: string;
  /** Client through which the incident was created */
  CreatedByType?: string;
  /** When the incident was created */
  CreatedDateTime?: string;
  /** Department of the customer */
  CustomerDepartment?: string;
  /** Location of the customer */
  CustomerLocation?: string;
  /** Record ID of the customer location value in its validation list */
  CustomerLocation_Valid?: string;
  /** Email address of the customer */
  Email?: string;
  /** Record ID of the linked entity */
  EntityLink?: string;
  /** Business object type of the linked entity */
  EntityLink_Category?: string;
  /** Record ID of the linked entity (same as EntityLink) */
  EntityLink_RecID?: string;
  /** Record ID of the configuration item an event reported */
  EventCIRecId?: string;
  /** Whether the incident was resolved on first contact */
  FirstCallResolution?: boolean;
  /** Record ID of the linked HR case */
  HRCaseLink?: string;
  /** Business object type of the linked HR case */
  HRCaseLink_Category?: string;
  /** Record ID of the linked HR case (same as HRCaseLink) */
  HRCaseLink_RecID?: string;
  /** Hours of operation that apply to the incident */
  HoursOfOperation?: string;
  /** Record ID of the hours of operation value in its validation list */
  HoursOfOperation_Valid?: string;
  /** Impact of the incident */
  Impact?: string;
  /** Record ID of the impact value in its validation list */
  Impact_Valid?: string;
  /** Summary of the incident details */
  IncidentDetailSummary?: string;
  /** Tag of the workflow that handles the incident details */
  IncidentDetailWorkflowTag?: string;
  /** Network user name of the customer */
  IncidentNetworkUserName?: string;
  /** Number of the incident, unique in the tenant */
  IncidentNumber?: number;
  /** Whether the incident needs approval */
  IsApprovalNeeded?: boolean;
  /** Whether a DSM task exists for the incident */
  IsDSMTaskExisted?: boolean;
  /** Whether the incident is in a final state (Closed) */
  IsInFinalState?: boolean;
  /** Whether this incident is a master incident */
  IsMasterIncident?: boolean;
  /** Whether the record is new and not yet saved */
  IsNewRecord?: boolean;
  /** Whether notifications are sent for the incident */
  IsNotification?: boolean;
  /** Whether the incident was reclassified for resolution */
  IsReclassifiedForResolution?: boolean;
  /** Whether the ticket classification made a recommendation */
  IsRecommended?: boolean;
  /** Whether the update came from the resolution of a related incident */
  IsRelatedIncidentResolutionUpdate?: boolean;
  /** Whether the update came from a related incident */
  IsRelatedIncidentUpdate?: boolean;
  /** Whether an alternate contact reported the incident */
  IsReportedByAlternateContact?: boolean;
  /** Whether the master incident resolved this incident */
  IsResolvedByMaster?: boolean;
  /** Whether ticket classification runs on the incident */
  IsRunTicketClassification?: boolean;
  /** Whether the incident has unread updates */
  IsUnRead?: boolean;
  /** Whether the customer is a VIP */
  IsVIP?: boolean;
  /** Whether a workaround is available */
  IsWorkAround?: boolean;
  /** Record ID of the linked knowledge article */
  KnowledgeLink?: string;
  /** Business object type of the linked knowledge article */
  KnowledgeLink_Category?: string;
  /** Record ID of the linked knowledge article (same as KnowledgeLink) */
  KnowledgeLink_RecID?: string;
  /** Login ID of the user who last modified the incident */
  LastModBy?: string;
  /** When the incident was last modified */
  LastModDateTime?: string;
  /** Login ID of the customer */
  LoginId?: string;
  /** Record ID of the master incident */
  MasterIncidentLink?: string;
  /** Business object type of the master incident */
  MasterIncidentLink_Category?: string;
  /** Record ID of the master incident (same as MasterIncidentLink) */
  MasterIncidentLink_RecID?: string;
  /** Notes entered on the incident form, not yet saved as a journal note */
  NewNotes?: string;
  /** Record ID of the customer's organizational unit */
  OrgUnitLink?: string;
  /** Business object type of the customer's organizational unit */
  OrgUnitLink_Category?: string;
  /** Record ID of the customer's organizational unit (same as OrgUnitLink) */
  OrgUnitLink_RecID?: string;
  /** Organizational unit of the customer */
  OrganizationUnitID?: string;
  /** Login ID of the assignee */
  Owner?: string;
  /** Email address of the assignee */
  OwnerEmail?: string;
  /** Team that owns the incident */
  OwnerTeam?: string;
  /** Email address of the owning team */
  OwnerTeamEmail?: string;
  /** Record ID of the owner team value in its validation list */
  OwnerTeam_Valid?: string;
  /** Kind of owner, usually Employee */
  OwnerType?: string;
  /** Record ID of the owner value in its validation list */
  Owner_Valid?: string;
  /** Email address notified of the assignment */
  OwnershipAssignmentEmail?: string;
  /** Organizational unit that owns the incident */
  OwningOrgUnitId?: string;
  /** Record ID of the owning organizational unit value in its validation list */
  OwningOrgUnitId_Valid?: string;
  /** Phone number of the customer */
  Phone?: string;
  /** Status the incident had before its current one */
  PreviousState?: string;
  /** Priority from 1 (highest) to 5 (lowest), derived from impact and urgency */
  Priority?: string;
  /** Record ID of the priority value in its validation list */
  Priority_Valid?: string;
  /** Record ID of the linked problem */
  ProblemLink?: string;
  /** Business object type of the linked problem */
  ProblemLink_Category?: string;
  /** Record ID of the linked problem (same as ProblemLink) */
  ProblemLink_RecID?: string;
  /** Full name of the customer */
  ProfileFullName?: string;
  /** Record ID of the customer */
  ProfileLink?: string;
  /** Business object type of the customer, usually Employee */
  ProfileLink_Category?: string;
  /** Record ID of the customer (same as ProfileLink) */
  ProfileLink_RecID?: string;
  /** Position of the incident in the status progress bar */
  ProgressBarPosition?: string;
  /** Whether the incident can no longer be changed */
  ReadOnly?: boolean;
  /** Record ID of the incident (32 hexadecimal characters) */
  RecId?: string;
  /** Recommended category */
  RecomCategory?: string;
  /** Recommended service */
  RecomService?: string;
  /** Recommended subcategory */
  RecomSubCategory?: string;
  /** Category the ticket classification recommends */
  RecommendedCategory?: string;
  /** Service the ticket classification recommends */
  RecommendedService?: string;
  /** Subcategory the ticket classification recommends */
  RecommendedSubCategory?: string;
  /** Who reported the incident */
  ReportedBy?: string;
  /** Organizational unit that reported the incident */
  ReportingOrgUnitID?: string;
  /** Record ID of the reporting organizational unit value in its validation list */
  ReportingOrgUnitID_Valid?: string;
  /** How the incident was resolved */
  Resolution?: string;
  /** Record ID of the resolution escalation */
  ResolutionEscLink?: string;
  /** Business object type of the resolution escalation */
  ResolutionEscLink_Category?: string;
  /** Record ID of the resolution escalation (same as ResolutionEscLink) */
  ResolutionEscLink_RecID?: string;
  /** Login ID of the user who resolved the incident */
  ResolvedBy?: string;
  /** Number of the incident whose resolution resolved this one, 0 when none */
  ResolvedByIncidentNumber?: number;
  /** Kind of user who resolved the incident */
  ResolvedByType?: string;
  /** When the incident was resolved */
  ResolvedDateTime?: string;
  /** Login ID of the user who first responded */
  RespondedBy?: string;
  /** When the incident was first responded to */
  RespondedDateTime?: string;
  /** Record ID of the response escalation */
  ResponseEscLink?: string;
  /** Business object type of the response escalation */
  ResponseEscLink_Category?: string;
  /** Record ID of the response escalation (same as ResponseEscLink) */
  ResponseEscLink_RecID?: string;
  /** Service level agreement that applies */
  SLA?: string;
  /** Service level agreement as displayed */
  SLADisplayText?: string;
  /** Record ID of the service level agreement */
  SLALink?: string;
  /** Business object type of the service level agreement */
  SLALink_Category?: string;
  /** Record ID of the service level agreement (same as SLALink) */
  SLALink_RecID?: string;
  /** Whether a satisfaction survey is sent when the incident closes */
  SendSurveyNotification?: boolean;
  /** Service the incident concerns */
  Service?: string;
  /** Email address of the service owner */
  ServiceOwnerEmail?: string;
  /** Record ID of the service request the incident came from */
  ServiceReqLink?: string;
  /** Business object type of the service request the incident came from */
  ServiceReqLink_Category?: string;
  /** Record ID of the service request the incident came from (same as ServiceReqLink) */
  ServiceReqLink_RecID?: string;
  /** Record ID of the service value in its validation list */
  Service_Valid?: string;
  /** Headline of the incident as ISM shows it, such as 'Incident 10023: Subject' */
  SocialTextHeader?: string;
  /** How the incident was reported */
  Source?: string;
  /** Record ID of the source value in its validation list */
  Source_Valid?: string;
  /** Status of the incident */
  Status?: string;
  /** Record ID of the status value in its validation list */
  Status_Valid?: string;
  /** Subcategory of the incident */
  SubCategory?: string;
  /** Record ID of the subcategory value in its validation list */
  SubCategory_Valid?: string;
  /** Summary of the incident */
  Subject?: string;
  /** Description of the incident (ISM calls it Symptom) */
  Symptom?: string;
  /** Email address of the owning team's manager */
  TeamManagerEmail?: string;
  /** Minutes spent on the incident, from its journal entries */
  TotalTimeSpent?: number;
  /** Type of the incident (Request or Failure) */
  TypeOfIncident?: string;
  /** Record ID of the type of incident value in its validation list */
  TypeOfIncident_Valid?: string;
  /** Urgency of the incident */
  Urgency?: string;
  /** Record ID of the urgency value in its validation list */
  Urgency_Valid?: string;
  /** View of the incident form */
  ViewType?: string;
  /** Asset ID in Virima */
  VirimaAssetID?: string;
  /** Record ID of the waiting escalation */
  WaitingEscLink?: string;
  /** Business object type of the waiting escalation */
  WaitingEscLink_Category?: string;
  /** Record ID of the waiting escalation (same as WaitingEscLink) */
  WaitingEscLink_RecID?: string;
  /** Priority set by the help desk */
  helpdesk_Priority?: string;
  /** Record ID of the helpdesk priority value in its validation list */
  helpdesk_Priority_Valid?: string;
  /** Whether the incident is a request for information or data */
  ivnt_RequestforInformationorData?: boolean;
  /** Record ID of the Microsoft Teams user details */
  ivnt_TeamsUserDetailsLink?: string;
  /** Business object type of the Microsoft Teams user details */
  ivnt_TeamsUserDetailsLink_Category?: string;
  /** Record ID of the Microsoft Teams user details (same as ivnt_TeamsUserDetailsLink) */
  ivnt_TeamsUserDetailsLink_RecID?: string;
  /** Update to a request for information */
  ivnt_UpdateRFI?: string;
  /** ISM returns more fields than the spec lists. */
  [field: string]: unknown;
}

/** Custom type `journal_note`. */
export interface JournalNote {
  /** Subject and body of the note as ISM displays them */
  DisplayText?: string;
  /** Body of the note */
  NotesBody?: string;
  /** Record ID of the source value in its validation list */
  Source_Valid?: string;
  /** Where the note's information came from */
  Source?: string;
  /** Minutes spent, as recorded on the note */
  TimeSpent?: number;
  /** Record ID of the category value in its validation list */
  Category_Valid?: string;
  /** Category of the note */
  Category?: string;
  /** Login ID of the user who created the note */
  CreatedBy?: string;
  /** When the note was created */
  CreatedDateTime?: string;
  /** Kind of journal entry, Notes for a note */
  JournalType?: string;
  /** Login ID of the user who last modified the note */
  LastModBy?: string;
  /** When the note was last modified */
  LastModDateTime?: string;
  /** Record ID of the owner value in its validation list */
  Owner_Valid?: string;
  /** Login ID of the note's owner */
  Owner?: string;
  /** Record ID of the owner team value in its validation list */
  OwnerTeam_Valid?: string;
  /** Team that owns the note */
  OwnerTeam?: string;
  /** Kind of owner, usually Employee */
  OwnerType?: string;
  /** Business object type of the record the note belongs to, such as Incident */
  ParentLink_Category?: string;
  /** Record ID of the record the note belongs to */
  ParentLink_RecID?: string;
  /** Record ID of the record the note belongs to (same as ParentLink_RecID) */
  ParentLink?: string;
  /** Record ID of the note */
  RecId?: string;
  /** Subject line of the note */
  Subject?: string;
  /** Business object type of the journal entry */
  TypeAlias?: string;
  /** Whether the note is shown to the customer on the self-service portal */
  PublishToWeb?: boolean;
  /** Name of the file attached to the note */
  AttachmentName?: string;
  /** Extension of the file attached to the note */
  AttachmentExtension?: string;
  /** Content of the file attached to the note */
  AttachmentData?: string;
  /** Whether the note can no longer be changed */
  ReadOnly?: boolean;
  /** Whether the record is new and not yet saved */
  IsNewRecord?: boolean;
  /** Whether the note is unread */
  IsUnRead?: boolean;
  /** Owner of the record the note belongs to */
  ParentOwner?: string;
  /** Whether the note changed from unread to read */
  UnreadTransition?: boolean;
  /** ISM returns more fields than the spec lists. */
  [field: string]: unknown;
}

/** Custom type `service_request`. */
export interface ServiceRequest {
  /** Record ID of the service request */
  RecId?: string;
  /** When the request was last changed, in the tenant's time zone */
  LastModDateTime?: string;
  /** Login ID of whoever last changed the request */
  LastModBy?: string;
  /** When the request was created, in the tenant's time zone */
  CreatedDateTime?: string;
  /** Login ID of whoever created the request */
  CreatedBy?: string;
  /** Owner type of the request */
  OwnerType?: string;
  /** Record ID of the owner value in its validation list */
  Owner_Valid?: string;
  /** Login ID of the analyst who owns the request */
  Owner?: string;
  /** Record ID of the owner team value in its validation list */
  OwnerTeam_Valid?: string;
  /** Team that owns the request */
  OwnerTeam?: string;
  /** Number of the service request, as the service desk quotes it */
  ServiceReqNumber?: number;
  /** Closed by of the request */
  ClosedBy?: string;
  /** Closed date time of the request */
  ClosedDateTime?: string;
  /** Resolved by of the request */
  ResolvedBy?: string;
  /** Resolved date time of the request */
  ResolvedDateTime?: string;
  /** Owner email of the request */
  OwnerEmail?: string;
  /** Owner team email of the request */
  OwnerTeamEmail?: string;
  /** Ownership assignment email of the request */
  OwnershipAssignmentEmail?: string;
  /** Business object of the record the profile link points to */
  ProfileLink_Category?: string;
  /** Record ID of the record the profile link points to */
  ProfileLink_RecID?: string;
  /** Record ID of the customer (an employee) */
  ProfileLink?: string;
  /** Email address of the customer */
  Email?: string;
  /** Full name of the customer */
  ProfileFullName?: string;
  /** Customer location of the request */
  CustomerLocation?: string;
  /** Flag of the request: is VIP */
  IsVIP?: boolean;
  /** Flag of the request: is reported by alternate contact */
  IsReportedByAlternateContact?: boolean;
  /** Business object of the record the alternate contact link points to */
  AlternateContactLink_Category?: string;
  /** Record ID of the record the alternate contact link points to */
  AlternateContactLink_RecID?: string;
  /** Record ID of the record the alternate contact link points to */
  AlternateContactLink?: string;
  /** Record ID of the status value in its validation list */
  Status_Valid?: string;
  /** Status of the request, such as Submitted or Fulfilled */
  Status?: string;
  /** Record ID of the service value in its validation list */
  Service_Valid?: string;
  /** Service the request belongs to */
  Service?: string;
  /** Record ID of the source value in its validation list */
  Source_Valid?: string;
  /** How the request was made */
  Source?: string;
  /** Record ID of the urgency value in its validation list */
  Urgency_Valid?: string;
  /** Urgency of the request: Low, Medium or High */
  Urgency?: string;
  /** Subject of the request, usually the template's name */
  Subject?: string;
  /** Description of the request as the customer gave it */
  Symptom?: string;
  /** Business object of the record the resolution escalation link points to */
  ResolutionEscLink_Category?: string;
  /** Record ID of the record the resolution escalation link points to */
  ResolutionEscLink_RecID?: string;
  /** Record ID of the record the resolution escalation link points to */
  ResolutionEscLink?: string;
  /** Business object of the record the incident escalation link points to */
  IncidentLink_Category?: string;
  /** Record ID of the record the incident escalation link points to */
  IncidentLink_RecID?: string;
  /** Record ID of the record the incident escalation link points to */
  IncidentLink?: string;
  /** Currency of the price */
  Price_Currency?: string;
  /** Record ID of the currency of the price in its validation list */
  Price_CurrencyValid?: string;
  /** Price of the request */
  Price?: string;
  /** Flag of the request: is new record */
  IsNewRecord?: boolean;
  /** Business object of the record the waiting escalation link points to */
  WaitingEscLink_Category?: string;
  /** Record ID of the record the waiting escalation link points to */
  WaitingEscLink_RecID?: string;
  /** Record ID of the record the waiting escalation link points to */
  WaitingEscLink?: string;
  /** Business object of the record the closing escalation link points to */
  ClosingEscLink_Category?: string;
  /** Record ID of the record the closing escalation link points to */
  ClosingEscLink_RecID?: string;
  /** Record ID of the record the closing escalation link points to */
  ClosingEscLink?: string;
  /** Phone of the request */
  Phone?: string;
  /** Business object of the record the service request template link points to */
  SvcReqTmplLink_Category?: string;
  /** Record ID of the record the service request template link points to */
  SvcReqTmplLink_RecID?: string;
  /** Record ID of the service request template the request was made from */
  SvcReqTmplLink?: string;
  /** Business object of the record the service request subsc link points to */
  SvcReqSubscLink_Category?: string;
  /** Record ID of the record the service request subsc link points to */
  SvcReqSubscLink_RecID?: string;
  /** Record ID of the customer's subscription to the template */
  SvcReqSubscLink?: string;
  /** Business object of the record the parent service request subsc link points to */
  ParentSvcReqSubscLink_Category?: string;
  /** Record ID of the record the parent service request subsc link points to */
  ParentSvcReqSubscLink_RecID?: string;
  /** Record ID of the record the parent service request subsc link points to */
  ParentSvcReqSubscLink?: string;
  /** Business object of the record the response escalation link points to */
  ResponseEscLink_Category?: string;
  /** Record ID of the record the response escalation link points to */
  ResponseEscLink_RecID?: string;
  /** Record ID of the record the response escalation link points to */
  ResponseEscLink?: string;
  /** Whether the request has reached a final status (Fulfilled, Closed, Cancelled or Approval Rejected) */
  IsInFinalState?: boolean;
  /** Progress bar position of the request */
  ProgressBarPosition?: string;
  /** Business object of the record the org unit link points to */
  OrgUnitLink_Category?: string;
  /** Record ID of the record the org unit link points to */
  OrgUnitLink_RecID?: string;
  /** Record ID of the record the org unit link points to */
  OrgUnitLink?: string;
  /** Business object of the record the SLA link points to */
  SLALink_Category?: string;
  /** Record ID of the record the SLA link points to */
  SLALink_RecID?: string;
  /** Record ID of the record the SLA link points to */
  SLALink?: string;
  /** Business object of the record the fulfillment plan link points to */
  FulfillmentPlanLink_Category?: string;
  /** Record ID of the record the fulfillment plan link points to */
  FulfillmentPlanLink_RecID?: string;
  /** Record ID of the record the fulfillment plan link points to */
  FulfillmentPlanLink?: string;
  /** Currency of the cost */
  Cost_Currency?: string;
  /** Record ID of the currency of the cost in its validation list */
  Cost_CurrencyValid?: string;
  /** Cost of the request */
  Cost?: string;
  /** Currency of the cost per minute */
  CostPerMinute_Currency?: string;
  /** Record ID of the currency of the cost per minute in its validation list */
  CostPerMinute_CurrencyValid?: string;
  /** Cost per minute of the request */
  CostPerMinute?: string;
  /** Record ID of the default approver value in its validation list */
  DefaultApprover_Valid?: string;
  /** Default approver of the request */
  DefaultApprover?: string;
  /** SLA of the request */
  SLA?: string;
  /** SLA display text of the request */
  SLADisplayText?: string;
  /** Organization unit ID of the request */
  OrganizationUnitID?: string;
  /** Flag of the request: read only */
  ReadOnly?: boolean;
  /** Login ID of the customer */
  ProfileLoginId?: string;
  /** Total time spent of the request */
  TotalTimeSpent?: number;
  /** Flag of the request: is DSM task existed by */
  IsDSMTaskExisted?: boolean;
  /** Currency of the draft price */
  DraftPrice_Currency?: string;
  /** Record ID of the currency of the draft price in its validation list */
  DraftPrice_CurrencyValid?: string;
  /** Draft price of the request */
  DraftPrice?: string;
  /** Whether the request is still a draft */
  IsDraft?: boolean;
  /** Request offering workfLow trigger of the request */
  RequestOfferingWFTrigger?: string;
  /** Login ID of the customer */
  LoginId?: string;
  /** Flag of the request: cancelable */
  Cancelable?: boolean;
  /** How the request was Fulfilled */
  Resolution?: string;
  /** Flag of the request: template cancelable */
  TemplateCancelable?: boolean;
  /** Flag of the request: send survey notification */
  SendSurveyNotification?: boolean;
  /** Business object of the record the entity link points to */
  EntityLink_Category?: string;
  /** Record ID of the record the entity link points to */
  EntityLink_RecID?: string;
  /** Record ID of the record the entity link points to */
  EntityLink?: string;
  /** Flag of the request: is editable */
  IsEditable?: boolean;
  /** Flag of the request: is template editable */
  IsTemplateEditable?: boolean;
  /** Flag of the request: force not cancelable */
  ForceNotCancelable?: boolean;
  /** Flag of the request: force not editable */
  ForceNotEditable?: boolean;
  /** Flag of the request: is new request notification sent */
  IsNewRequestNotificationSent?: boolean;
  /** Flag of the request: is external */
  IsExternal?: boolean;
  /** External view URL of the request */
  ExternalViewUrl?: string;
  /** Currency of the recurrent price */
  RecurrentPrice_Currency?: string;
  /** Record ID of the currency of the recurrent price in its validation list */
  RecurrentPrice_CurrencyValid?: string;
  /** Recurrent price of the request */
  RecurrentPrice?: string;
  /** Recurrent period of the request */
  RecurrentPeriod?: string;
  /** Currency of the task price USD */
  TaskPriceUSD_Currency?: string;
  /** Record ID of the currency of the task price USD in its validation list */
  TaskPriceUSD_CurrencyValid?: string;
  /** Task price USD of the request */
  TaskPriceUSD?: string;
  /** Currency of the task cost USD */
  TaskCostUSD_Currency?: string;
  /** Record ID of the currency of the task cost USD in its validation list */
  TaskCostUSD_CurrencyValid?: string;
  /** Task cost USD of the request */
  TaskCostUSD?: string;
  /** Record ID of the charging account value in its validation list */
  ChargingAccount_Valid?: string;
  /** Charging account of the request */
  ChargingAccount?: string;
  /** Business object of the record the service request template definition link points to */
  ServiceReqTemplateDefinitionLink_Category?: string;
  /** Record ID of the record the service request template definition link points to */
  ServiceReqTemplateDefinitionLink_RecID?: string;
  /** Record ID of the record the service request template definition link points to */
  ServiceReqTemplateDefinitionLink?: string;
  /** Flag of the request: has script run */
  HasScriptRun?: boolean;
  /** Flag of the request: in shopping cart */
  InShoppingCart?: boolean;
  /** Flag of the request: is unread */
  IsUnRead?: boolean;
  /** Ivanti purchase request count of the request */
  ivnt_PurchaseRequestCount?: number;
  /** Ivanti requested catalog item count of the request */
  ivnt_RequestedCatalogItemCount?: number;
  /** Business object of the record the Ivanti CI link points to */
  ivnt_CILink_Category?: string;
  /** Record ID of the record the Ivanti CI link points to */
  ivnt_CILink_RecID?: string;
  /** Record ID of the record the Ivanti CI link points to */
  ivnt_CILink?: string;
  /** Business object of the record the Ivanti product catalog link points to */
  ivnt_ProductCatalogLink_Category?: string;
  /** Record ID of the record the Ivanti product catalog link points to */
  ivnt_ProductCatalogLink_RecID?: string;
  /** Record ID of the record the Ivanti product catalog link points to */
  ivnt_ProductCatalogLink?: string;
  /** ISM returns more fields than the spec lists. */
  [field: string]: unknown;
}

/** The connection, after defaults are applied. */
export interface Connection {
  /** REST API key of the tenant (the key's Reference ID) */
  credentials: CredentialSecretKey;
  /** Address of the tenant, such as https://ism.example.com or https://ism.example.com/HEAT */
  url: string;
  /** Verify the tenant's TLS certificate; turn off only for a self-signed certificate you trust */
  ssl_verify: boolean;
  /** Seconds to wait for a connection to the tenant before giving up, from 1 to 300 */
  connect_timeout: number;
  /** Seconds to wait for the tenant to answer a request before giving up, from 1 to 600 */
  request_timeout: number;
  /** Largest file, in MiB, that Add Attachment uploads or Download Attachment reads, from 1 to 1024; a larger upload is refused before anything is sent, and a download stops reading past it */
  attachment_size_limit: number;
  /** Largest answer, in MiB, that the plugin reads from the tenant, from 1 to 1024; a larger answer is cut off and the step fails, so a broken tenant or proxy cannot exhaust the plugin's memory */
  response_size_limit: number;
}

/** Create Incident: input after defaults are applied. */
export interface CreateIncidentInput {
  /** Short summary of the incident (the ISM Subject) */
  summary: string;
  /** Full description of the incident (the ISM Symptom) */
  description: string;
  /** ISM employee the incident is for, matched exactly, ignoring case: an identifier of the form name@domain against PrimaryEmail or LoginID (so a UPN-style login ID such as user1@example.com works), otherwise against LoginID or DisplayName, a login ID winning over display names it shares; it must name exactly one employee */
  customer: string;
  /** Status the incident starts in */
  status: "Logged" | "Active" | "Waiting for Customer" | "Waiting for 3rd Party" | "Waiting for Resolution" | "Resolved" | "Closed";
  /** Type of the incident */
  type: "Request" | "Failure";
  /** Impact of the incident; with urgency it sets the priority */
  impact?: "Low" | "Medium" | "High";
  /** Urgency of the incident; with impact it sets the priority */
  urgency?: "Low" | "Medium" | "High";
  /** How the incident was reported */
  source?: "AutoTicket" | "Chat" | "Email" | "Fax" | "FrontRange Voice" | "Instant Message" | "Network Monitor" | "Phone" | "Self Service" | "Voice Mail" | "Walk-In";
  /** Category of the incident, a value of the tenant's Category validation list */
  category?: string;
  /** Analyst to assign, matched exactly, ignoring case: an identifier of the form name@domain against PrimaryEmail or LoginID (so a UPN-style login ID such as user1@example.com works), otherwise against LoginID or DisplayName, a login ID winning over display names it shares; it must name exactly one employee; ISM receives the login ID */
  assignee?: string;
}

export interface CreateIncidentOutput {
  /** The incident as ISM created it */
  incident: Incident;
}

/** Create Service Request: input after defaults are applied. */
export interface CreateServiceRequestInput {
  /** Service request template to request: its name, matched exactly and ignoring case (never a partial match), or its record ID (32 hexadecimal characters); it must name exactly one template */
  service_request_template: string;
  /** ISM employee the request is for, matched exactly, ignoring case: an identifier of the form name@domain against PrimaryEmail or LoginID (so a UPN-style login ID such as user1@example.com works), otherwise against LoginID or DisplayName, a login ID winning over display names it shares; it must name exactly one employee */
  customer: string;
  /** Description of the request (the ISM Symptom) */
  description: string;
  /** Status the request starts in */
  status: "Draft" | "Submitted" | "Approved" | "In Procurement" | "Approval Rejected" | "Waiting for Customer" | "Waiting for 3rd Party" | "Fulfilled" | "Closed" | "Cancelled";
  /** Urgency of the request; ISM's default applies when none is given */
  urgency?: "Low" | "Medium" | "High";
  /** Values for the template's parameters, by the parameter's name or the label the service catalogue shows (matched ignoring case), each text, a number, true or false; a drop-down takes the value it shows. When given, the request goes through ISM's service request API, which applies them, and every required parameter must have a value; when left out or empty, the request is created as before, without parameters */
  parameters?: Record<string, unknown>;
}

export interface CreateServiceRequestOutput {
  /** The service request as ISM created it */
  service_request: ServiceRequest;
}

/** Update Incident: input after defaults are applied. */
export interface UpdateIncidentInput {
  /** Number of the incident to update */
  incident_number: number;
  /** New status; Resolved and Closed also need a cause code and a resolution, Active needs a category and an assignee */
  status?: "Logged" | "Active" | "Waiting for Customer" | "Waiting for 3rd Party" | "Waiting for Resolution" | "Resolved" | "Closed";
  /** New assignee, matched exactly, ignoring case: an identifier of the form name@domain against PrimaryEmail or LoginID (so a UPN-style login ID such as user1@example.com works), otherwise against LoginID or DisplayName, a login ID winning over display names it shares; it must name exactly one employee; ISM receives the login ID */
  assignee?: string;
  /** New customer, matched exactly, ignoring case: an identifier of the form name@domain against PrimaryEmail or LoginID (so a UPN-style login ID such as user1@example.com works), otherwise against LoginID or DisplayName, a login ID winning over display names it shares; it must name exactly one employee */
  customer?: string;
  /** New category, a value of the tenant's Category validation list */
  category?: string;
  /** Cause code; needed to set the status to Resolved or Closed */
  cause_code?: "Configuration" | "Documentation Request" | "Hardware" | "Install Request" | "Installation" | "Linked Problem" | "Other" | "Reference Request" | "Session Reset" | "Software" | "Training";
  /** How the incident was resolved; needed to set the status to Resolved or Closed */
  resolution?: string;
}

export interface UpdateIncidentOutput {
  /** The incident after the update */
  incident: Incident;
}

/** Delete Incident: input after defaults are applied. */
export interface DeleteIncidentInput {
  /** Number of the incident to delete */
  incident_number: number;
}

export interface DeleteIncidentOutput {
  /** True when the incident was deleted */
  success: boolean;
}

/** Add Note: input after defaults are applied. */
export interface AddNoteInput {
  /** Number of the incident the note is added to */
  incident_number: number;
  /** Subject line of the note */
  summary: string;
  /** Body of the note */
  notes?: string;
  /** Category of the note; ISM uses Memo when none is given */
  category?: "Called Customer" | "Customer Complaint" | "Customer Feedback" | "Customer Follow-up" | "Customer Notes" | "E-mailed Customer" | "Left Voice Mail" | "Memo" | "Resolution Communication" | "Status Update";
  /** Where the note's information came from */
  source?: "E-mail" | "Other" | "Phone/Fax" | "Self Service" | "Voice Mail";
}

export interface AddNoteOutput {
  /** The note as ISM created it */
  journal_note: JournalNote;
}

/** Get Incident: input after defaults are applied. */
export interface GetIncidentInput {
  /** Number of the incident to read */
  incident_number: number;
}

export interface GetIncidentOutput {
  /** The incident as ISM holds it */
  incident: Incident;
}

/** Search Incidents: input after defaults are applied. */
export interface SearchIncidentsInput {
  /** Words to look for in the incidents' text (ISM full-text search, which matches word prefixes) */
  keyword?: string;
  /** Only incidents with this status */
  status?: "Logged" | "Active" | "Waiting for Customer" | "Waiting for 3rd Party" | "Waiting for Resolution" | "Resolved" | "Closed";
  /** Only incidents of this customer, matched exactly, ignoring case: an identifier of the form name@domain against PrimaryEmail or LoginID (so a UPN-style login ID such as user1@example.com works), otherwise against LoginID or DisplayName, a login ID winning over display names it shares; it must name exactly one employee */
  customer?: string;
  /** Only incidents assigned to this analyst, matched exactly, ignoring case: an identifier of the form name@domain against PrimaryEmail or LoginID (so a UPN-style login ID such as user1@example.com works), otherwise against LoginID or DisplayName, a login ID winning over display names it shares; it must name exactly one employee */
  assignee?: string;
  /** Only incidents created after this time (ISO 8601, such as 2026-01-31T00:00:00Z) */
  created_after?: string;
  /** Only incidents created before this time (ISO 8601) */
  created_before?: string;
  /** Most incidents to return, from 1 to 10000 */
  max_results: number;
}

export interface SearchIncidentsOutput {
  /** The incidents found, in ascending order of number; an empty list when none match, never an error */
  data: Incident[];
  /** Number of incidents returned */
  count: number;
  /** True when more incidents match than max_results let through; raise max_results (up to 10,000) or narrow the search to get them all */
  truncated: boolean;
}

/** Add Attachment: input after defaults are applied. */
export interface AddAttachmentInput {
  /** Number of the incident the file is attached to */
  incident_number: number;
  /** The file, with its name and its base64-encoded content */
  attachment: FileValue;
}

export interface AddAttachmentOutput {
  /** Record ID ISM gave the attachment */
  attachment_id: string;
  /** Name the file was stored under */
  filename: string;
}

/** Get Record: input after defaults are applied. */
export interface GetRecordInput {
  /** Business object name as ISM shows it, such as Incident, Problem, Change#, CI#Computer or frs_custom_object: a letter, then up to 99 letters, digits or underscores, optionally one # and a subtype name of the same form */
  object: string;
  /** RecId of the record, 32 hexadecimal characters; give it, or field and value (with all three, the record must match both) */
  record_id?: string;
  /** Field whose value names the record, as ISM spells it (letters, digits and underscores, at most 128); used with value, and the match must find exactly one record */
  field?: string;
  /** Value the field must have; ISM compares it exactly, except that case does not matter */
  value?: string;
}

export interface GetRecordOutput {
  /** The record as ISM holds it, without its empty fields */
  record: Record<string, unknown>;
}

/** Search Records: input after defaults are applied. */
export interface SearchRecordsInput {
  /** Business object name as ISM shows it, such as Incident, Problem, Change#, CI#Computer or frs_custom_object: a letter, then up to 99 letters, digits or underscores, optionally one # and a subtype name of the same form */
  object: string;
  /** Fields and the exact values they must all have, such as {"Status": "Active"}; field names are letters, digits and underscores, values are text (case does not matter), numbers, true, false or null for an empty field */
  filter?: Record<string, unknown>;
  /** Words to look for with ISM's full-text search, which matches the beginnings of words without regard to case */
  keyword?: string;
  /** Date field that from and to apply to, such as CreatedDateTime or LastModDateTime */
  date_field?: string;
  /** Only records whose date field is at or after this time (ISO 8601, such as 2026-01-31T00:00:00Z) */
  from?: string;
  /** Only records whose date field is before this time (ISO 8601); later than from */
  to?: string;
  /** Most records to return, from 1 to 10,000 */
  max_results: number;
}

export interface SearchRecordsOutput {
  /** The records found, in order of record ID, without their empty fields; empty when none match */
  records: Array<Record<string, unknown>>;
  /** Number of records returned */
  count: number;
  /** True when more records match than max_results let through; raise max_results (up to 10,000) or narrow the search to get them all */
  truncated: boolean;
}

/** Create Record: input after defaults are applied. */
export interface CreateRecordInput {
  /** Business object name as ISM shows it, such as Incident, Problem, Change#, CI#Computer or frs_custom_object: a letter, then up to 99 letters, digits or underscores, optionally one # and a subtype name of the same form */
  object: string;
  /** Fields of the record and their values, as ISM names them, such as {"Subject": "..."}: at least one; field names are letters, digits and underscores, values are text, numbers, true, false or null */
  fields: Record<string, unknown>;
}

export interface CreateRecordOutput {
  /** The record as ISM created it, without its empty fields */
  record: Record<string, unknown>;
}

/** Update Record: input after defaults are applied. */
export interface UpdateRecordInput {
  /** Business object name as ISM shows it, such as Incident, Problem, Change#, CI#Computer or frs_custom_object: a letter, then up to 99 letters, digits or underscores, optionally one # and a subtype name of the same form */
  object: string;
  /** RecId of the record to update, 32 hexadecimal characters */
  record_id: string;
  /** Fields of the record and their values, as ISM names them, such as {"Subject": "..."}: at least one; field names are letters, digits and underscores, values are text, numbers, true, false or null */
  fields: Record<string, unknown>;
}

export interface UpdateRecordOutput {
  /** The record after the update, without its empty fields */
  record: Record<string, unknown>;
}

/** Delete Record: input after defaults are applied. */
export interface DeleteRecordInput {
  /** Business object name as ISM shows it, such as Incident, Problem, Change#, CI#Computer or frs_custom_object: a letter, then up to 99 letters, digits or underscores, optionally one # and a subtype name of the same form */
  object: string;
  /** RecId of the record to delete, 32 hexadecimal characters */
  record_id: string;
}

export interface DeleteRecordOutput {
  /** True when the record was deleted */
  success: boolean;
}

/** Link Records: input after defaults are applied. */
export interface LinkRecordsInput {
  /** Business object name as ISM shows it, such as Incident, Problem, Change#, CI#Computer or frs_custom_object: a letter, then up to 99 letters, digits or underscores, optionally one # and a subtype name of the same form */
  object: string;
  /** RecId of the record the relationship starts from, 32 hexadecimal characters */
  record_id: string;
  /** Relationship as the object's metadata names it, such as IncidentAssociatesCI or IncidentAssociatesProblem: letters, digits and underscores, up to 128, with case as given */
  relationship: string;
  /** RecId of the record at the other end of the relationship, 32 hexadecimal characters */
  related_record_id: string;
}

export interface LinkRecordsOutput {
  /** True when the two records are linked, whether by this step or before it */
  success: boolean;
  /** False when the records were already linked, so nothing was written */
  changed: boolean;
}

/** Unlink Records: input after defaults are applied. */
export interface UnlinkRecordsInput {
  /** Business object name as ISM shows it, such as Incident, Problem, Change#, CI#Computer or frs_custom_object: a letter, then up to 99 letters, digits or underscores, optionally one # and a subtype name of the same form */
  object: string;
  /** RecId of the record the relationship starts from, 32 hexadecimal characters */
  record_id: string;
  /** Relationship as the object's metadata names it, such as IncidentAssociatesCI or IncidentAssociatesProblem: letters, digits and underscores, up to 128, with case as given */
  relationship: string;
  /** RecId of the record at the other end of the relationship, 32 hexadecimal characters */
  related_record_id: string;
}

export interface UnlinkRecordsOutput {
  /** True when the two records are not linked, whether by this step or before it */
  success: boolean;
  /** False when the records were not linked, so nothing was written */
  changed: boolean;
}

/** List Related: input after defaults are applied. */
export interface ListRelatedInput {
  /** Business object name as ISM shows it, such as Incident, Problem, Change#, CI#Computer or frs_custom_object: a letter, then up to 99 letters, digits or underscores, optionally one # and a subtype name of the same form */
  object: string;
  /** RecId of the record, 32 hexadecimal characters */
  record_id: string;
  /** Relationship as the object's metadata names it, such as IncidentAssociatesCI or IncidentAssociatesProblem: letters, digits and underscores, up to 128, with case as given */
  relationship: string;
  /** Most records to return, from 1 to 10,000 */
  max_results: number;
}

export interface ListRelatedOutput {
  /** The related records, in order of record ID, without their empty fields; empty when there are none */
  records: Array<Record<string, unknown>>;
  /** Number of records returned */
  count: number;
  /** True when more records are related than max_results let through; raise max_results (up to 10,000) to get them all */
  truncated: boolean;
}

/** Run Quick Action: input after defaults are applied. */
export interface RunQuickActionInput {
  /** Business object name as ISM shows it, such as Incident, Problem, Change#, CI#Computer or frs_custom_object: a letter, then up to 99 letters, digits or underscores, optionally one # and a subtype name of the same form */
  object: string;
  /** RecId of the record to run the quick action on, 32 hexadecimal characters */
  record_id: string;
  /** Quick action as ISM shows it, such as Close Incident, or as the object's metadata names it, such as Close_Incident: a letter, then up to 127 letters, digits, spaces or underscores, not ending in a space; each space stands for an underscore, and the name must then equal one in the metadata exactly, case included */
  action: string;
  /** Values for the fields the quick action prompts for, by field name as ISM spells it (letters, digits and underscores), such as CauseCode and Resolution for Close Incident; each value text, a number, true or false */
  parameters?: Record<string, unknown>;
}

export interface RunQuickActionOutput {
  /** True when ISM ran the quick action */
  success: boolean;
  /** The record after the quick action, read back from ISM, without its empty fields */
  record: Record<string, unknown>;
  /** What ISM answered the quick action with, when it answered with a record (such as the copy Clone Incident made), without its empty fields; absent otherwise */
  result?: Record<string, unknown>;
}

/** List Attachments: input after defaults are applied. */
export interface ListAttachmentsInput {
  /** Business object name as ISM shows it, such as Incident, Problem, Change#, CI#Computer or frs_custom_object: a letter, then up to 99 letters, digits or underscores, optionally one # and a subtype name of the same form */
  object: string;
  /** RecId of the record whose files are listed, 32 hexadecimal characters */
  record_id: string;
}

export interface ListAttachmentsOutput {
  /** The record's files, oldest first (files attached in the same second in order of their ID), at most 10,000; empty when it has none */
  attachments: Attachment[];
  /** Number of files listed */
  count: number;
}

/** Download Attachment: input after defaults are applied. */
export interface DownloadAttachmentInput {
  /** RecId of the attachment, 32 hexadecimal characters, as List Attachments or Add Attachment give it; a file larger than the connection's attachment size limit is refused */
  attachment_id: string;
}

export interface DownloadAttachmentOutput {
  /** Name the file is stored under in ISM */
  filename: string;
  /** Media type ISM gives the file, application/octet-stream when it gives none */
  content_type: string;
  /** Size of the file in bytes */
  size: number;
  /** The file's bytes, base64-encoded */
  content: string;
}

/** Delete Attachment: input after defaults are applied. */
export interface DeleteAttachmentInput {
  /** RecId of the attachment, 32 hexadecimal characters, as List Attachments or Add Attachment give it */
  attachment_id: string;
}

export interface DeleteAttachmentOutput {
  /** True when the attachment was deleted */
  success: boolean;
  /** Name of the file that was deleted */
  filename: string;
}

export interface ActionTypes {
  create_incident: { input: CreateIncidentInput; output: CreateIncidentOutput };
  create_service_request: { input: CreateServiceRequestInput; output: CreateServiceRequestOutput };
  update_incident: { input: UpdateIncidentInput; output: UpdateIncidentOutput };
  delete_incident: { input: DeleteIncidentInput; output: DeleteIncidentOutput };
  add_note: { input: AddNoteInput; output: AddNoteOutput };
  get_incident: { input: GetIncidentInput; output: GetIncidentOutput };
  search_incidents: { input: SearchIncidentsInput; output: SearchIncidentsOutput };
  add_attachment: { input: AddAttachmentInput; output: AddAttachmentOutput };
  get_record: { input: GetRecordInput; output: GetRecordOutput };
  search_records: { input: SearchRecordsInput; output: SearchRecordsOutput };
  create_record: { input: CreateRecordInput; output: CreateRecordOutput };
  update_record: { input: UpdateRecordInput; output: UpdateRecordOutput };
  delete_record: { input: DeleteRecordInput; output: DeleteRecordOutput };
  link_records: { input: LinkRecordsInput; output: LinkRecordsOutput };
  unlink_records: { input: UnlinkRecordsInput; output: UnlinkRecordsOutput };
  list_related: { input: ListRelatedInput; output: ListRelatedOutput };
  run_quick_action: { input: RunQuickActionInput; output: RunQuickActionOutput };
  list_attachments: { input: ListAttachmentsInput; output: ListAttachmentsOutput };
  download_attachment: { input: DownloadAttachmentInput; output: DownloadAttachmentOutput };
  delete_attachment: { input: DeleteAttachmentInput; output: DeleteAttachmentOutput };
}

export type ActionName = keyof ActionTypes;

/** New Incident: input after defaults are applied. */
export interface NewIncidentInput {
  /** Seconds between two checks for new incidents, at least 1 */
  frequency: number;
  /** How many incident numbers below the highest one seen are read again on every check, from 0 to 1000. ISM numbers an incident when its creation starts, so an incident can become visible after one with a higher number; any number in this window that was not delivered yet is delivered then. Raise it for a tenant with many concurrent creations; 0 turns the re-read off */
  look_back: number;
  /** Only incidents that have this status when they are found */
  status?: "Logged" | "Active" | "Waiting for Customer" | "Waiting for 3rd Party" | "Waiting for Resolution" | "Resolved" | "Closed";
  /** Only incidents of this customer, matched exactly, ignoring case: an identifier of the form name@domain against PrimaryEmail or LoginID (so a UPN-style login ID such as user1@example.com works), otherwise against LoginID or DisplayName, a login ID winning over display names it shares; it must name exactly one employee */
  customer?: string;
}

export interface NewIncidentOutput {
  /** The new incident */
  incident: Incident;
}

/** Updated Incident: input after defaults are applied. */
export interface UpdatedIncidentInput {
  /** Seconds between two checks for changed incidents, at least 1 */
  frequency: number;
  /** Seconds before the latest change seen that are read again on every check, from 0 to 86400. ISM can show a change after a later one (a save that commits late, a workflow that rewrites LastModDateTime), so any change in this window that was not delivered yet is delivered then. Raise it for a tenant with slow workflows; 0 turns the re-read off */
  overlap: number;
  /** Login ID of a user whose changes do not fire, matched without regard to case against the incident's LastModBy; give the login ID of the API key's user (ISM records changes made with the key under that user) so that a workflow updating incidents through this connection does not trigger itself. Empty fires for every user */
  ignore_changes_by: string;
}

export interface UpdatedIncidentOutput {
  /** The incident as it is after the change */
  incident: Incident;
}

export interface TriggerTypes {
  new_incident: { input: NewIncidentInput; output: NewIncidentOutput };
  updated_incident: { input: UpdatedIncidentInput; output: UpdatedIncidentOutput };
}

export type TriggerName = keyof TriggerTypes;
