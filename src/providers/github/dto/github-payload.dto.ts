import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, IsString, Matches, Min, MinLength, ValidateNested } from 'class-validator';

// Only the fields agents rely on are declared; everything else in GitHub's payload passes through.

export class GithubAccountDto {
  @IsString()
  @MinLength(1)
  login!: string;
}

export class GithubRepositoryDto {
  @IsString()
  @Matches(/^[^/\s]+\/[^/\s]+$/, { message: 'repository.full_name must look like owner/name' })
  full_name!: string;
}

export class GithubCommitRefDto {
  @Matches(/^[0-9a-f]{40}([0-9a-f]{24})?$/, { message: 'pull_request.head.sha must be a commit sha' })
  sha!: string;
}

export class GithubPullRequestDto {
  @IsInt()
  @Min(1)
  number!: number;

  @IsDefined()
  @ValidateNested()
  @Type(() => GithubCommitRefDto)
  head!: GithubCommitRefDto;
}

/** Fields every GitHub event may carry. */
class GithubEventFieldsDto {
  @IsOptional()
  @IsString()
  action?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => GithubAccountDto)
  sender?: GithubAccountDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => GithubAccountDto)
  organization?: GithubAccountDto;
}

/** Any GitHub event: the repository is there for repository events, absent for organisation ones. */
export class GithubPayloadDto extends GithubEventFieldsDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => GithubRepositoryDto)
  repository?: GithubRepositoryDto;
}

/** pull_request events: the PR and its repository are required. */
export class GithubPullRequestPayloadDto extends GithubEventFieldsDto {
  @IsDefined()
  @ValidateNested()
  @Type(() => GithubPullRequestDto)
  pull_request!: GithubPullRequestDto;

  @IsDefined()
  @ValidateNested()
  @Type(() => GithubRepositoryDto)
  repository!: GithubRepositoryDto;
}
